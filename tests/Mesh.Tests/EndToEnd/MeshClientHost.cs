using Mesh.Balancing;
using Mesh.Channels;
using Mesh.Discovery;
using Mesh.Testing.Consul;
using Mesh.Testing.Grpc;
using Mesh.Testing.Grpc.V1;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Mesh.Tests.EndToEnd;

/// <summary>A client app wired by <c>AddMesh</c> against the Consul emulator, as a user's app would be.</summary>
internal sealed class MeshClientHost : IAsyncDisposable
{
    private readonly IHost _host;

    private MeshClientHost(IHost host) => _host = host;

    public IServiceProvider Services => _host.Services;

    public IMeshChannels Channels => Services.GetRequiredService<IMeshChannels>();

    public BalancingMonitor Monitor => Services.GetRequiredService<BalancingMonitor>();

    public static async Task<MeshClientHost> StartAsync(ConsulEmulator consul, Dictionary<string, string?> settings, TimeProvider? timeProvider = null)
    {
        var builder = Host.CreateApplicationBuilder();
        settings["Mesh:Registry"] = "Consul";
        settings["Mesh:Consul:Address"] = consul.Address.ToString();
        builder.Configuration.AddInMemoryCollection(settings);
        if (timeProvider is not null)
        {
            builder.Services.AddSingleton(timeProvider);
        }

        builder.Services.AddMesh(builder.Configuration);
        var host = builder.Build();
        await host.StartAsync();
        return new MeshClientHost(host);
    }

    /// <summary>A client for <c>consul:///<paramref name="service"/></c> with the service's call policy.</summary>
    public EchoService.EchoServiceClient Client(string service = "echo") => new(Channels.CreateCallInvoker(service, "consul"));

    /// <summary>Waits (bounded) until discovery of <paramref name="service"/> lists exactly <paramref name="count"/> instances.</summary>
    public async Task WaitForInstancesAsync(int count, string service = "echo")
    {
        using var watch = Services.GetRequiredService<IServiceDiscovery>().Watch(ServiceQuery.For(service));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var snapshot = watch.Current;
        while (!snapshot.HasResolved || snapshot.Endpoints.Length != count)
        {
            snapshot = await watch.WaitForChangeAsync(snapshot.Version, timeout.Token);
        }
    }

    /// <summary>Calls until every live instance has answered, so each has a connection before a test measures.</summary>
    public static async Task WarmAsync(EchoService.EchoServiceClient client, TestGrpcCluster cluster)
    {
        for (var i = 0; i < 300 && cluster.Servers.Any(s => !s.IsStopped && s.CallCount == 0); i++)
        {
            await client.EchoAsync(new EchoRequest { Message = "warm" });
        }
    }

    public static void RegisterAll(ConsulEmulator consul, TestGrpcCluster cluster, string service = "echo")
    {
        foreach (var server in cluster.Servers)
        {
            consul.RegisterService(server.Name, service, server.Port);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}
