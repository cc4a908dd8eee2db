using System.Net;
using Mesh.Consul;
using Mesh.Consul.Models;
using Mesh.Tests.Consul;
using Mesh.Testing.Consul;

namespace Mesh.Tests.Emulator;

/// <summary>Mesh's Consul client against the emulator, over real HTTP: the agent, health and KV calls it makes.</summary>
public sealed class EmulatorClientTests : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);
    private ConsulEmulator _consul = null!;

    public async Task InitializeAsync() => _consul = await ConsulEmulator.StartNewAsync();

    public async Task DisposeAsync() => await _consul.DisposeAsync();

    private ConsulClient Client(string? token = null) =>
        new(new HttpClient(), new ConsulClientOptions { Address = _consul.Address.ToString(), Token = token });

    private static AgentServiceRegistration Web(string id, int port, params string[] tags) => new()
    {
        Id = id, Name = "web", Address = "127.0.0.1", Port = port, Tags = tags,
        Meta = new Dictionary<string, string> { ["version"] = tags.Length > 0 ? tags[0] : "none" },
        Check = new AgentServiceCheck { CheckId = "service:" + id, Name = "web TTL", Ttl = TimeSpan.FromSeconds(30), DeregisterCriticalServiceAfter = TimeSpan.FromMinutes(1) },
    };

    [Fact]
    public async Task Lifecycle_RegisterHeartbeatMaintenanceDeregister_SeenInHealth()
    {
        var client = Client();
        await client.Agent.RegisterServiceAsync(Web("web-1", 8080, "v1"));
        var registered = Assert.Single((await client.Health.ServiceAsync("web", passingOnly: false)).Value);
        Assert.Equal(HealthStatus.Critical, registered.AggregatedStatus); // a TTL check starts critical
        Assert.Empty((await client.Health.ServiceAsync("web")).Value);

        await client.Agent.PassTtlAsync("service:web-1", "ok");
        var passing = Assert.Single((await client.Health.ServiceAsync("web")).Value);
        Assert.Equal(("web-1", 8080, "127.0.0.1", "ok"), (passing.Service.Id, passing.Service.Port, passing.EffectiveAddress, passing.Checks.Single(c => c.CheckId == "service:web-1").Output));

        await client.Agent.UpdateTtlAsync("service:web-1", HealthStatus.Warning, "slow");
        Assert.Empty((await client.Health.ServiceAsync("web")).Value);
        Assert.Equal(HealthStatus.Warning, Assert.Single((await client.Health.ServiceAsync("web", passingOnly: false)).Value).AggregatedStatus);

        await client.Agent.PassTtlAsync("service:web-1");
        await client.Agent.SetServiceMaintenanceAsync("web-1", true, "draining");
        var maintained = Assert.Single((await client.Health.ServiceAsync("web", passingOnly: false)).Value);
        var maintenance = Assert.Single(maintained.Checks, c => c.CheckId == "_service_maintenance:web-1");
        Assert.Equal((HealthStatus.Critical, "maintenance"), (maintenance.Status, maintenance.Type));
        Assert.Empty((await client.Health.ServiceAsync("web")).Value);
        Assert.Equal("draining", (await client.Agent.GetChecksAsync())["_service_maintenance:web-1"].Notes);

        await client.Agent.SetServiceMaintenanceAsync("web-1", false);
        Assert.Single((await client.Health.ServiceAsync("web")).Value);

        await client.Agent.DeregisterServiceAsync("web-1");
        Assert.Empty((await client.Health.ServiceAsync("web", passingOnly: false)).Value);
        Assert.Empty(await client.Agent.GetServicesAsync());
        await client.Agent.DeregisterServiceAsync("web-1"); // unknown id: 200 on 1.10
        _consul.DeregisterUnknownAnswers404 = true;
        await client.Agent.DeregisterServiceAsync("web-1"); // and 404 on newer agents: both succeed
    }

    [Fact]
    public async Task HealthService_PassingAndTagFilters_SelectInstances()
    {
        var client = Client();
        foreach (var (id, port, tag) in new[] { ("web-1", 8081, "v1"), ("web-2", 8082, "v2"), ("web-3", 8083, "v2") })
        {
            await client.Agent.RegisterServiceAsync(Web(id, port, tag));
            await client.Agent.PassTtlAsync("service:" + id);
        }

        await client.Agent.FailTtlAsync("service:web-3", "down");

        Assert.Equal(["web-1", "web-2"], (await client.Health.ServiceAsync("web")).Value.Select(e => e.Service.Id));
        Assert.Equal(["web-1", "web-2", "web-3"], (await client.Health.ServiceAsync("web", passingOnly: false)).Value.Select(e => e.Service.Id));
        Assert.Equal(["web-2"], (await client.Health.ServiceAsync("web", tag: "v2")).Value.Select(e => e.Service.Id));
        Assert.Equal(["web-2", "web-3"], (await client.Health.ServiceAsync("web", tag: "v2", passingOnly: false)).Value.Select(e => e.Service.Id));
        var filtered = await client.Health.ServiceAsync("web", passingOnly: false, options: new ConsulQueryOptions { Filter = "Service.Meta.version == \"v2\" and Service.Port != 8083" });
        Assert.Equal(["web-2"], filtered.Value.Select(e => e.Service.Id));
        Assert.Equal(["v1", "v2"], (await client.Catalog.ServicesAsync()).Value["web"]);
        Assert.Equal(3, (await client.Catalog.ServiceAsync("web")).Value.Length);
    }

    [Fact]
    public async Task HealthService_BlockingQuery_ReleasedByChangeWithNewIndex()
    {
        var client = Client();
        await client.Agent.RegisterServiceAsync(Web("web-1", 8080));
        await client.Agent.PassTtlAsync("service:web-1");
        var first = await client.Health.ServiceAsync("web");

        var blocked = client.Health.ServiceAsync("web", options: ConsulQueryOptions.Blocking(first.Index, TimeSpan.FromMinutes(5)));
        await _consul.WaitForParkedQueryAsync("web").WaitAsync(Bound);
        Assert.False(blocked.IsCompleted);
        await client.Agent.RegisterServiceAsync(Web("web-2", 8081));
        await client.Agent.PassTtlAsync("service:web-2");
        var released = await blocked.WaitAsync(Bound);

        Assert.True(released.Index > first.Index);
        Assert.True(released.KnownLeader);
        Assert.Equal(0, _consul.ParkedQueryCount);
    }

    [Fact]
    public async Task KV_CheckAndSet_FirstWriterWins()
    {
        var client = Client();
        var writers = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => client.KV.PutAsync("locks/leader", new[] { (byte)('a' + i) }, casIndex: 0)));
        Assert.Equal(1, writers.Count(won => won));

        var current = (await client.KV.GetAsync("locks/leader")).Value!;
        Assert.False(await client.KV.PutAsync("locks/leader", "late"u8.ToArray(), casIndex: current.ModifyIndex - 1));
        Assert.True(await client.KV.PutAsync("locks/leader", "next"u8.ToArray(), casIndex: current.ModifyIndex, flags: 42));
        var updated = (await client.KV.GetAsync("locks/leader")).Value!;
        Assert.Equal(("next", 42ul, current.CreateIndex), (System.Text.Encoding.UTF8.GetString(updated.Value!), updated.Flags, updated.CreateIndex));
        Assert.False(await client.KV.DeleteAsync("locks/leader", casIndex: current.ModifyIndex));
        Assert.True(await client.KV.DeleteAsync("locks/leader", casIndex: updated.ModifyIndex));

        var missing = await client.KV.GetAsync("locks/leader");
        Assert.Null(missing.Value);
        Assert.True(missing.Index >= updated.ModifyIndex); // a 404 still carries the index to block on
    }

    [Fact]
    public async Task KV_BlockingGetAndListings_FollowWrites()
    {
        var client = Client();
        await client.KV.PutAsync("app/config/greeting", "hello"u8.ToArray());
        await client.KV.PutAsync("app/config/db/url", "pg"u8.ToArray());
        var get = await client.KV.GetAsync("app/config/greeting");

        var blocked = client.KV.GetAsync("app/config/greeting", ConsulQueryOptions.Blocking(get.Index, TimeSpan.FromMinutes(1)));
        await _consul.WaitForParkedKeyQueryAsync("app/config/greeting").WaitAsync(Bound);
        await client.KV.PutAsync("app/config/greeting", "changed"u8.ToArray());
        var released = await blocked.WaitAsync(Bound);

        Assert.Equal("changed", System.Text.Encoding.UTF8.GetString(released.Value!.Value!));
        Assert.Equal(["app/config/db/url", "app/config/greeting"], (await client.KV.KeysAsync("app/config/")).Value);
        Assert.Equal(["app/config/db/", "app/config/greeting"], (await client.KV.KeysAsync("app/config/", separator: "/")).Value);
        Assert.Equal(2, (await client.KV.ListAsync("app/")).Value.Length);
        Assert.Empty((await client.KV.ListAsync("nothing/")).Value);
        Assert.True(await client.KV.DeleteAsync("app/", recurse: true));
        Assert.Empty((await client.KV.ListAsync("app/")).Value);
    }

    [Theory]
    [InlineData(null, "Permission denied")]
    [InlineData("wrong-secret-4f1c", "ACL not found")]
    public async Task RequiredToken_MissingOrWrong_403WithoutLeakingToken(string? token, string text)
    {
        _consul.RequiredToken = "right-secret-9a7e";

        var ex = await Assert.ThrowsAsync<ConsulException>(() => Client(token).Agent.RegisterServiceAsync(Web("web-1", 8080)));

        Assert.Equal(HttpStatusCode.Forbidden, ex.StatusCode);
        Assert.Equal(text, ex.ResponseText);
        Assert.DoesNotContain("secret", ex.ToString(), StringComparison.Ordinal);
        Assert.Empty(_consul.Services("web"));
        await Client("right-secret-9a7e").Agent.RegisterServiceAsync(Web("web-1", 8080));
        Assert.Single(_consul.Services("web"));
        Assert.All(_consul.Requests, r => Assert.DoesNotContain("secret", r.ToString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task PassTtl_UnknownCheck_AnswersTheRecordedError()
    {
        var ex = await Assert.ThrowsAsync<ConsulException>(() => Client().Agent.PassTtlAsync("service:nope"));

        Assert.Equal(HttpStatusCode.InternalServerError, ex.StatusCode);
        Assert.Equal(ConsulSamples.ErrorText("error-pass-unknown.txt"), ex.ResponseText);
        Assert.True(ex.IsUnknownCheckOrService);
    }

    [Fact]
    public async Task Maintenance_UnknownService_404IsUnknownService()
    {
        var ex = await Assert.ThrowsAsync<ConsulException>(() => Client().Agent.SetServiceMaintenanceAsync("nope", true));

        Assert.Equal(HttpStatusCode.NotFound, ex.StatusCode);
        Assert.Equal("No service registered with ID \"nope\"", ex.ResponseText);
    }

    [Fact]
    public async Task HealthService_OtherDatacenter_NoPathToDatacenter()
    {
        var ex = await Assert.ThrowsAsync<ConsulException>(() => Client().Health.ServiceAsync("web", options: new ConsulQueryOptions { Datacenter = "dc9" }));

        Assert.Equal((HttpStatusCode.InternalServerError, "No path to datacenter"), (ex.StatusCode, ex.ResponseText));
        Assert.Empty((await Client().Health.ServiceAsync("web", options: new ConsulQueryOptions { Datacenter = "dc1" })).Value);
    }
}
