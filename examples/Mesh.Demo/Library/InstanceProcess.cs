namespace Mesh.Demo;

/// <summary>A child process running <see cref="GreeterInstance"/>.</summary>
internal sealed class InstanceProcess : IDisposable
{
    private readonly ChildProcess _process;

    private InstanceProcess(string name, ChildProcess process)
    {
        Name = name;
        _process = process;
    }

    public string Name { get; }

    public static InstanceProcess Start(string name, string registryDirectory)
    {
        var start = SelfCommand.Create("instance", name);
        start.Environment["Mesh__Registry"] = "Local";
        start.Environment["Mesh__Local__Directory"] = registryDirectory;
        return new InstanceProcess(name, ChildProcess.Start("greeter " + name, start));
    }

    /// <summary>Asks for a graceful stop (the instance goes into maintenance, drains and deregisters) without waiting for it.</summary>
    public void RequestStop() => _process.CloseInput();

    /// <summary>Waits (bounded) for the process to exit.</summary>
    public Task WaitForExitAsync() => _process.WaitForExitAsync(TimeSpan.FromSeconds(30));

    /// <summary>Kills the process outright: no deregistration, its lease has to run out.</summary>
    public void Crash() => _process.Crash();

    public void Dispose() => _process.Dispose();
}
