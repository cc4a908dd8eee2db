using Mesh.Demo;

// One command runs the whole demo: this process plays the watcher and starts copies of itself as service instances.
return args is ["instance", var name, ..]
    ? await GreeterInstance.RunAsync(name, args[2..])
    : await DemoConductor.RunAsync(args);
