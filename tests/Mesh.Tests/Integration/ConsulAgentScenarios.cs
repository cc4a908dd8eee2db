using System.Diagnostics;
using System.Text;
using Mesh.Consul;
using Mesh.Consul.Models;
using Mesh.Discovery;
using Mesh.Discovery.Internal;
using Mesh.Registries.Consul;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;

namespace Mesh.Tests.Integration;

/// <summary>
/// What Mesh needs from a Consul agent, written once and run against the emulator (always) and a real agent
/// (when <c>MESH_TEST_CONSUL_ADDR</c> is set). Real time throughout: every wait is bounded and event-driven.
/// <paramref name="expiryTtl"/> is the TTL the expiry scenario waits out (2 s by default; shorter for the emulator).
/// </summary>
internal sealed class ConsulAgentScenarios(Uri agent, TimeSpan? expiryTtl = null) : IAsyncDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(15);
    private readonly string _service = "mesh-test-" + Guid.NewGuid().ToString("N")[..8];
    private readonly List<string> _registered = [];
    private readonly ConsulClient _client = new(new HttpClient(), new ConsulClientOptions { Address = agent.ToString() });

    private ConsulRegistry Registry() => new(_client, new DiscoveryOptions(), TimeProvider.System, NullLogger<ConsulRegistry>.Instance);

    private ServiceDiscovery Discovery() => new(Registry(), TimeProvider.System, NullLogger<ServiceDiscovery>.Instance);

    private async Task RegisterAsync(string id, int port, TimeSpan ttl)
    {
        _registered.Add(id);
        await _client.Agent.RegisterServiceAsync(new AgentServiceRegistration
        {
            Id = id, Name = _service, Address = "127.0.0.1", Port = port, Tags = ["mesh-test"],
            Check = new AgentServiceCheck { CheckId = "service:" + id, Ttl = ttl, DeregisterCriticalServiceAfter = TimeSpan.FromMinutes(1) },
        });
    }

    public async Task Register_PassTtl_SeenPassingThroughDiscovery()
    {
        await RegisterAsync(_service + "-1", 18080, TimeSpan.FromSeconds(30));
        await using var discovery = Discovery();
        using var watch = discovery.Watch(ServiceQuery.For(_service));
        var before = await watch.WaitForChangeAsync(0).WaitAsync(Bound);
        Assert.Empty(before.Endpoints); // a TTL check starts critical

        await _client.Agent.PassTtlAsync("service:" + _service + "-1", "ok");
        var after = await WaitForCountAsync(watch, before, 1);

        var endpoint = Assert.Single(after.Endpoints);
        Assert.Equal((_service + "-1", "127.0.0.1", 18080), (endpoint.Id, endpoint.Host, endpoint.Port));
        Assert.Equal<string>(["mesh-test"], endpoint.Tags); // <string>: ImmutableArray's own Equals compares references
    }

    public async Task BlockingWatch_SecondRegistration_ReleasedWithinOneSecond()
    {
        await RegisterAsync(_service + "-1", 18081, TimeSpan.FromSeconds(30));
        await _client.Agent.PassTtlAsync("service:" + _service + "-1");
        await using var discovery = Discovery();
        using var watch = discovery.Watch(ServiceQuery.For(_service));
        var first = await WaitForCountAsync(watch, watch.Current, 1);

        var started = Stopwatch.GetTimestamp();
        await RegisterAsync(_service + "-2", 18082, TimeSpan.FromSeconds(30));
        await _client.Agent.PassTtlAsync("service:" + _service + "-2");
        await WaitForCountAsync(watch, first, 2, TimeSpan.FromSeconds(1));

        Assert.InRange(Stopwatch.GetElapsedTime(started), TimeSpan.Zero, TimeSpan.FromSeconds(1));
    }

    public async Task TtlExpiry_NoHeartbeat_InstanceRemoved()
    {
        await RegisterAsync(_service + "-1", 18083, expiryTtl ?? TimeSpan.FromSeconds(2));
        await _client.Agent.PassTtlAsync("service:" + _service + "-1");
        await using var discovery = Discovery();
        using var watch = discovery.Watch(ServiceQuery.For(_service));
        var passing = await WaitForCountAsync(watch, watch.Current, 1);

        var expired = await WaitForCountAsync(watch, passing, 0);

        Assert.Empty(expired.Endpoints);
        var check = Assert.Single((await _client.Health.ChecksAsync(_service)).Value);
        Assert.Equal(HealthStatus.Critical, check.Status);
    }

    public async Task HostStop_RegisteredThroughAddMesh_DrainsAndDeregisters()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Mesh:Registry"] = "Consul",
            ["Mesh:Consul:Address"] = agent.ToString(),
            ["Mesh:Registration:ServiceName"] = _service,
            ["Mesh:Registration:Address"] = "127.0.0.1",
            ["Mesh:Registration:Port"] = "18084",
            ["Mesh:Registration:DrainDelay"] = "00:00:00.2",
        }).Build();
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddMesh(configuration);
        using var host = builder.Build();
        var discovery = host.Services.GetRequiredService<IServiceDiscovery>();
        await host.StartAsync();
        using var watch = discovery.Watch(ServiceQuery.For(_service));
        var registered = await WaitForCountAsync(watch, watch.Current, 1);
        _registered.Add(registered.Endpoints[0].Id);

        await host.StopAsync();

        Assert.DoesNotContain(registered.Endpoints[0].Id, (await _client.Agent.GetServicesAsync()).Keys);
    }

    public async Task KV_CheckAndSet_OnlyTheFirstWriterWins()
    {
        var key = $"mesh-test/{_service}/leader";
        try
        {
            Assert.True(await _client.KV.PutAsync(key, "a"u8.ToArray(), casIndex: 0));
            Assert.False(await _client.KV.PutAsync(key, "b"u8.ToArray(), casIndex: 0));
            var current = await _client.KV.GetAsync(key);
            Assert.False(await _client.KV.PutAsync(key, "c"u8.ToArray(), casIndex: current.Value!.ModifyIndex + 1000));
            Assert.True(await _client.KV.PutAsync(key, "d"u8.ToArray(), casIndex: current.Value.ModifyIndex));
            Assert.Equal("d", Encoding.UTF8.GetString((await _client.KV.GetAsync(key)).Value!.Value!));
            Assert.Null((await _client.KV.GetAsync(key + "/missing")).Value);
        }
        finally
        {
            await _client.KV.DeleteAsync($"mesh-test/{_service}", recurse: true);
        }
    }

    private static async Task<ServiceSnapshot> WaitForCountAsync(IServiceWatch watch, ServiceSnapshot from, int count, TimeSpan? bound = null)
    {
        using var timeout = new CancellationTokenSource(bound ?? Bound);
        var snapshot = from;
        while (!(snapshot.HasResolved && snapshot.Endpoints.Length == count))
        {
            snapshot = await watch.WaitForChangeAsync(snapshot.Version, timeout.Token);
        }

        return snapshot;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var id in _registered)
        {
            await _client.Agent.DeregisterServiceAsync(id);
        }
    }
}
