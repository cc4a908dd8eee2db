using Mesh.Discovery;
using Mesh.Registries.Local;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Mesh.Tests.Registries.Local;

/// <summary>
/// Two hosts wired by <c>AddMesh</c> on one Local directory, each with its own registry and file watcher, as two
/// processes on one machine would be: one registers through the hosted registration service, the other discovers.
/// </summary>
public sealed class LocalRegistryHostTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "mesh-tests-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private IHost BuildHost(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder();
        settings["Mesh:Local:Directory"] = _directory;
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddMesh(builder.Configuration);
        return builder.Build();
    }

    private IHost Instance(int port) => BuildHost(new()
    {
        ["Mesh:Registration:ServiceName"] = "greeter",
        ["Mesh:Registration:Address"] = "127.0.0.1",
        ["Mesh:Registration:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Mesh:Registration:DrainDelay"] = "00:00:00",
    });

    private static async Task<ServiceSnapshot> WaitForPortsAsync(IServiceWatch watch, params int[] ports)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var snapshot = watch.Current;
        while (!snapshot.HasResolved || !snapshot.Endpoints.Select(e => e.Port).Order().SequenceEqual(ports.Order()))
        {
            snapshot = await watch.WaitForChangeAsync(snapshot.Version, timeout.Token);
        }

        return snapshot;
    }

    [Fact]
    public async Task InstancesStartingAndStopping_AreSeenByAnotherHost()
    {
        using var client = BuildHost([]);
        await client.StartAsync();
        Assert.IsType<LocalRegistry>(client.Services.GetRequiredService<IServiceWatcher>());
        using var watch = client.Services.GetRequiredService<IServiceDiscovery>().Watch(ServiceQuery.For("greeter"));
        await WaitForPortsAsync(watch);

        using var first = Instance(6001);
        using var second = Instance(6002);
        await first.StartAsync();
        await WaitForPortsAsync(watch, 6001);
        await second.StartAsync();
        var both = await WaitForPortsAsync(watch, 6001, 6002);
        Assert.All(both.Endpoints, e => Assert.Equal(EndpointHealth.Passing, e.Health));

        // A graceful stop: maintenance (leaves the passing set), then deregistration removes the file.
        await first.StopAsync();
        await WaitForPortsAsync(watch, 6002);
        Assert.Single(Directory.GetFiles(Path.Combine(_directory, "greeter"), "*.json"));

        await second.StopAsync();
        await WaitForPortsAsync(watch);
        await client.StopAsync();
    }
}
