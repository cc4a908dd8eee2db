namespace Mesh.Demo;

/// <summary>The sidecar act's instances (app + sidecar each): started, printed, stopped, and every process waited for.</summary>
internal sealed class HelloInstances(HelloApp app, string registryDirectory) : IDisposable
{
    private readonly List<HelloInstance> _instances = [];

    public async Task<HelloInstance> StartAsync(string name, bool caller, CancellationToken stopping)
    {
        var instance = await HelloInstance.StartAsync(name, app, registryDirectory, caller, stopping);
        lock (_instances)
        {
            _instances.Add(instance);
        }

        var ports = caller ? $", admin 127.0.0.1:{instance.AdminPort}, upstream '{DemoSettings.HelloServiceName}' on 127.0.0.1:{instance.UpstreamPort}" : "";
        Console.WriteLine($"  {name}: {app.Kind} pid {instance.App.Id} on 127.0.0.1:{instance.AppPort} ← sidecar pid {instance.Sidecar.Id}, inbound {instance.Inbound}{ports}");
        return instance;
    }

    public HelloInstance Get(string name) => Snapshot().Single(i => i.Name == name);

    /// <summary>The instance's name for its sidecar's inbound address (how other sidecars know it).</summary>
    public string NameOf(string inbound) => Snapshot().Find(i => i.Inbound == inbound)?.Name ?? inbound;

    /// <summary>Asks every instance to stop gracefully; returns how many there are.</summary>
    public int RequestStop()
    {
        var instances = Snapshot();
        instances.ForEach(i => i.RequestStop());
        return instances.Count;
    }

    /// <summary>Waits (10 s each at most, then kills) for every process to exit, and says so.</summary>
    public async Task WaitForExitAsync()
    {
        var instances = Snapshot();
        var processes = instances.SelectMany(i => i.Processes).ToList();
        var byThemselves = await Task.WhenAll(processes.Select(p => p.WaitForExitAsync(TimeSpan.FromSeconds(10))));
        var killed = processes.Where((_, i) => !byThemselves[i]).Select(p => p.Name).ToList();
        Console.WriteLine($"  all {processes.Count} processes of the act have exited ({instances.Count} apps, {instances.Count} sidecars)" +
            (killed.Count == 0 ? "" : $"; killed after 10 s: {string.Join(", ", killed)}"));
    }

    public void Dispose() => Snapshot().ForEach(i => i.Dispose());

    private List<HelloInstance> Snapshot()
    {
        lock (_instances)
        {
            return [.. _instances];
        }
    }
}
