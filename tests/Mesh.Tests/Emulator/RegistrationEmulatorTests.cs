using Mesh.Consul;
using Mesh.Discovery;
using Mesh.Registration;
using Mesh.Registration.Internal;
using Mesh.Registries.Consul;
using Mesh.Tests.TestSupport;
using Mesh.Testing.Consul;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Mesh.Tests.Emulator;

/// <summary>The registration service through the Consul registry against the emulator, on a fake clock.</summary>
public sealed class RegistrationEmulatorTests : IAsyncLifetime
{
    private const string RegisterPath = "/v1/agent/service/register";
    private const string HeartbeatPath = "/v1/agent/check/update/";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Beat = TimeSpan.FromSeconds(5); // a third of the 15 s TTL
    private readonly SignallingTimeProvider _time = new();
    private ConsulEmulator _consul = null!;
    private RegistrationService _service = null!;

    public async Task InitializeAsync()
    {
        _consul = await ConsulEmulator.StartNewAsync(new ConsulEmulatorOptions { TimeProvider = _time });
        var client = new ConsulClient(new HttpClient(), new ConsulClientOptions { Address = _consul.Address.ToString() }, _time);
        var options = new MeshOptions();
        options.Registration.ServiceName = "orders";
        options.Registration.Address = "10.0.0.7";
        options.Registration.Port = 5001;
        options.Registration.Ttl = TimeSpan.FromSeconds(15);
        options.Registration.DrainDelay = TimeSpan.FromSeconds(3);
        var registry = new ConsulRegistry(client, new DiscoveryOptions(), _time, NullLogger<ConsulRegistry>.Instance);
        _service = new RegistrationService(registry, Options.Create(options), new RegistrationHealthSource(null), _time, NullLogger<RegistrationService>.Instance);
    }

    public async Task DisposeAsync()
    {
        _service.Dispose();
        await _consul.DisposeAsync();
    }

    private async Task<EmulatedService> RegisteredAsync(int registrations)
    {
        await _consul.WaitForRequestsAsync(RegisterPath, registrations).WaitAsync(Bound);
        await _time.WaitForTimerAsync(d => d == Beat); // registered, and waiting to heartbeat
        Assert.Equal(RegistrationState.Registered, _service.State);
        return Assert.Single(_consul.Services("orders"));
    }

    [Fact]
    public async Task AgentRestart_HeartbeatAnswersNotRegistered_RegistersAgain()
    {
        await _service.StartedAsync(default);
        var first = await RegisteredAsync(1);
        Assert.Equal(("10.0.0.7", 5001, "passing"), (first.Address, first.Port, first.AggregatedStatus));

        _consul.Restart();
        Assert.Empty(_consul.Services("orders"));
        _time.Advance(Beat); // the heartbeat is answered "does not have associated TTL"
        var again = await RegisteredAsync(2);

        Assert.Equal((first.Id, "passing"), (again.Id, again.AggregatedStatus));
        Assert.Equal(1, _consul.CountRequests(HeartbeatPath));
        _time.Advance(Beat);
        await _consul.WaitForRequestsAsync(HeartbeatPath, 2).WaitAsync(Bound);
        await _time.WaitForTimerAsync(d => d == Beat);
        Assert.Equal(2, _consul.CountRequests(RegisterPath)); // the heartbeat renewed the new registration
    }

    [Fact]
    public async Task Stopping_GoesToMaintenanceDrainsThenDeregisters()
    {
        await _service.StartedAsync(default);
        var registered = await RegisteredAsync(1);

        var stopping = _service.StoppingAsync(default);
        await _consul.WaitForRequestsAsync("/v1/agent/service/maintenance/", 1).WaitAsync(Bound);
        var draining = Assert.Single(_consul.Services("orders"));
        Assert.Equal("critical", draining.AggregatedStatus);
        Assert.Contains(draining.Checks, c => c.CheckId == "_service_maintenance:" + registered.Id && c.Notes == "Draining: shutting down");
        await _time.AdvanceWhenScheduledAsync(TimeSpan.FromSeconds(3));
        await stopping.WaitAsync(Bound);

        Assert.Equal(RegistrationState.Deregistered, _service.State);
        Assert.Empty(_consul.Services("orders"));
    }

    [Fact]
    public async Task AgentDownAtStart_RetriesWithBackoff_RegistersWhenItAnswers()
    {
        _consul.Fault = EmulatorFault.Unavailable;
        await _service.StartedAsync(default);

        var retry = await _time.WaitForTimerAsync(d => d <= TimeSpan.FromSeconds(1)); // the first retry delay
        Assert.Equal(RegistrationState.Pending, _service.State);
        Assert.Equal(1, _consul.CountRequests(RegisterPath));
        _consul.Fault = EmulatorFault.None;
        _time.Advance(retry);

        Assert.Equal("passing", (await RegisteredAsync(2)).AggregatedStatus);
    }
}
