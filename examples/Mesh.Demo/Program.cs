using Mesh.Demo;

// One command runs the whole demo: this process conducts, and starts copies of itself as the library act's greeter
// instances (and, without python3, as the sidecar act's plain HTTP app).
return args switch
{
    ["instance", var name, ..] => await GreeterInstance.RunAsync(name, args[2..]),
    ["plain-app", var name, ..] => await PlainHttpApp.RunAsync(name, args[2..]),
    _ => await DemoConductor.RunAsync(args),
};
