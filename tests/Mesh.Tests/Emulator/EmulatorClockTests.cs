using System.Globalization;
using System.Net;
using Mesh.Consul;
using Mesh.Consul.Models;
using Mesh.Testing.Consul;
using Microsoft.Extensions.Time.Testing;

namespace Mesh.Tests.Emulator;

/// <summary>What the emulator does as time passes, on a fake clock: TTL expiry, critical reaping, blocking waits, restarts.</summary>
public sealed class EmulatorClockTests : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));
    private ConsulEmulator _consul = null!;
    private ConsulClient _client = null!;

    public async Task InitializeAsync()
    {
        _consul = await ConsulEmulator.StartNewAsync(new ConsulEmulatorOptions { TimeProvider = _time });
        _client = new ConsulClient(new HttpClient(), new ConsulClientOptions { Address = _consul.Address.ToString() }, _time);
    }

    public async Task DisposeAsync() => await _consul.DisposeAsync();

    private Task RegisterAsync(string id, TimeSpan ttl, TimeSpan? deregisterAfter = null) =>
        _client.Agent.RegisterServiceAsync(new AgentServiceRegistration
        {
            Id = id, Name = "web", Address = "127.0.0.1", Port = 8080,
            Check = new AgentServiceCheck { Ttl = ttl, DeregisterCriticalServiceAfter = deregisterAfter },
        });

    [Fact]
    public async Task Ttl_NotUpdatedInTime_TurnsCriticalWithConsulsOutput()
    {
        await RegisterAsync("web-1", TimeSpan.FromSeconds(15));
        await _client.Agent.PassTtlAsync("service:web-1", "all good");

        _time.Advance(TimeSpan.FromSeconds(10));
        await _client.Agent.PassTtlAsync("service:web-1", "all good"); // a heartbeat restarts the countdown
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(HealthStatus.Passing, Assert.Single(_consul.Services("web")).AggregatedStatus);
        _time.Advance(TimeSpan.FromSeconds(5));

        var check = Assert.Single((await _client.Health.ChecksAsync("web")).Value);
        Assert.Equal((HealthStatus.Critical, "TTL expired (last output before timeout follows): all good"), (check.Status, check.Output));
        Assert.Equal("service:web-1", check.CheckId); // Consul's default id for a service's single check
    }

    [Fact]
    public async Task DeregisterCriticalServiceAfter_CriticalLongEnough_Reaped()
    {
        await RegisterAsync("web-1", TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(10)); // Consul raises it to 1 min
        await _client.Agent.PassTtlAsync("service:web-1");
        _time.Advance(TimeSpan.FromSeconds(15)); // critical from here
        _time.Advance(TimeSpan.FromSeconds(59));
        Assert.Single(_consul.Services("web"));

        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.Empty(_consul.Services("web"));
        Assert.Empty(await _client.Agent.GetServicesAsync());
    }

    [Fact]
    public async Task DeregisterCriticalServiceAfter_RecoveredInTime_NotReaped()
    {
        await RegisterAsync("web-1", TimeSpan.FromSeconds(15), TimeSpan.FromMinutes(1));
        _time.Advance(TimeSpan.FromSeconds(50));
        await _client.Agent.PassTtlAsync("service:web-1"); // critical since registration, passing before the minute
        _time.Advance(TimeSpan.FromSeconds(20));

        Assert.Single(_consul.Services("web"));
    }

    [Fact]
    public async Task BlockingQuery_NothingChanges_AnswersAfterWaitWithSameIndex()
    {
        _consul.RegisterService("web-1", "web", 8080);
        var first = await _client.Health.ServiceAsync("web");

        var blocked = _client.Health.ServiceAsync("web", options: ConsulQueryOptions.Blocking(first.Index, TimeSpan.FromSeconds(5)));
        await _consul.WaitForParkedQueryAsync("web").WaitAsync(Bound);
        _time.Advance(TimeSpan.FromSeconds(4));
        Assert.False(blocked.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(1));
        var answer = await blocked.WaitAsync(Bound);

        Assert.Equal(first.Index, answer.Index);
        Assert.Single(answer.Value);
    }

    [Fact]
    public async Task BlockingQuery_TtlExpires_ReleasedAtExpiry()
    {
        await RegisterAsync("web-1", TimeSpan.FromSeconds(15));
        await _client.Agent.PassTtlAsync("service:web-1");
        var passing = await _client.Health.ServiceAsync("web");

        var blocked = _client.Health.ServiceAsync("web", options: ConsulQueryOptions.Blocking(passing.Index, TimeSpan.FromMinutes(1)));
        await _consul.WaitForParkedQueryAsync("web").WaitAsync(Bound);
        _time.Advance(TimeSpan.FromSeconds(15));
        var expired = await blocked.WaitAsync(Bound);

        Assert.Empty(expired.Value);
        Assert.True(expired.Index > passing.Index);
    }

    [Fact]
    public async Task Restart_KeepingIndex_ForgetsServicesAndReleasesWatchersAhead()
    {
        await RegisterAsync("web-1", TimeSpan.FromSeconds(15));
        await _client.Agent.PassTtlAsync("service:web-1");
        await _client.KV.PutAsync("config/a", "1"u8.ToArray());
        var before = await _client.Health.ServiceAsync("web");
        var blocked = _client.Health.ServiceAsync("web", options: ConsulQueryOptions.Blocking(before.Index, TimeSpan.FromMinutes(1)));
        await _consul.WaitForParkedQueryAsync("web").WaitAsync(Bound);

        _consul.Restart();
        var after = await blocked.WaitAsync(Bound);

        Assert.Empty(after.Value);
        Assert.True(after.Index > before.Index);
        var heartbeat = await Assert.ThrowsAsync<ConsulException>(() => _client.Agent.PassTtlAsync("service:web-1"));
        Assert.True(heartbeat.IsUnknownCheckOrService);
        Assert.NotNull((await _client.KV.GetAsync("config/a")).Value); // KV lives on the servers
    }

    [Fact]
    public async Task Restart_ResettingIndex_ParkedQueryWaitsOutThenAnswersLowerIndex()
    {
        for (var i = 0; i < 5; i++)
        {
            _consul.RegisterService($"web-{i}", "web", 8080 + i);
        }

        var before = await _client.Health.ServiceAsync("web");
        var blocked = _client.Health.ServiceAsync("web", options: ConsulQueryOptions.Blocking(before.Index, TimeSpan.FromSeconds(30)));
        await _consul.WaitForParkedQueryAsync("web").WaitAsync(Bound);

        _consul.Restart(resetIndex: true);
        Assert.False(blocked.IsCompleted); // as Consul: the index asked for is ahead, so the query waits its wait
        _time.Advance(TimeSpan.FromSeconds(30));
        var after = await blocked.WaitAsync(Bound);

        Assert.Empty(after.Value);
        Assert.True(after.Index < before.Index, $"{after.Index} should be below {before.Index}");
    }

    [Fact]
    public async Task KvGet_MissingKeyAndBlockingWait_404WithIndexThenWaitsOnFakeClock()
    {
        using var http = new HttpClient { BaseAddress = _consul.Address };
        await _client.KV.PutAsync("other", "x"u8.ToArray());

        using var missing = await http.GetAsync("v1/kv/absent");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("", await missing.Content.ReadAsStringAsync());
        var index = ulong.Parse(missing.Headers.GetValues("X-Consul-Index").Single(), CultureInfo.InvariantCulture);

        var blocked = _client.KV.GetAsync("absent", ConsulQueryOptions.Blocking(index, TimeSpan.FromSeconds(10)));
        await _consul.WaitForParkedKeyQueryAsync("absent").WaitAsync(Bound);
        await _client.KV.PutAsync("other", "y"u8.ToArray()); // another key: no wake-up
        Assert.False(blocked.IsCompleted);
        await _client.KV.PutAsync("absent", "now"u8.ToArray());

        Assert.Equal("now", System.Text.Encoding.UTF8.GetString((await blocked.WaitAsync(Bound)).Value!.Value!));
    }
}
