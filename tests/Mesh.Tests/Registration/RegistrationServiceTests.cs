using Mesh.Discovery;
using Mesh.Registration;
using Mesh.Registration.Internal;
using Mesh.Tests.TestSupport;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Mesh.Tests.Registration;

public sealed class RegistrationServiceTests
{
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan Beat = TimeSpan.FromSeconds(5);
    private readonly SignallingTimeProvider _time = new();

    private RegistrationService CreateService(RecordingRegistrar registrar, Action<RegistrationOptions>? configure = null, HealthCheckService? health = null)
    {
        var options = new MeshOptions();
        options.Registration.ServiceName = "orders";
        options.Registration.Address = "10.0.0.7";
        options.Registration.Port = 5001;
        options.Registration.Ttl = Ttl;
        options.Registration.DrainDelay = TimeSpan.FromSeconds(3);
        configure?.Invoke(options.Registration);
        return new RegistrationService(registrar, Options.Create(options), new RegistrationHealthSource(health), _time, NullLogger<RegistrationService>.Instance);
    }

    [Fact]
    public async Task Started_RegistersThenHeartbeatsEveryThirdOfTtl()
    {
        var registrar = new RecordingRegistrar(_time, Beat);
        using var service = CreateService(registrar);

        await service.StartedAsync(default);
        Assert.Equal("register", await registrar.NextCallAsync());
        await _time.AdvanceWhenScheduledAsync(Beat);
        Assert.Equal("heartbeat", await registrar.NextCallAsync());
        await _time.AdvanceWhenScheduledAsync(Beat);
        Assert.Equal("heartbeat", await registrar.NextCallAsync());

        var registration = registrar.LastRegistration!;
        Assert.Equal(RegistrationState.Registered, service.State);
        Assert.Equal(("orders", "10.0.0.7", 5001), (registration.Name, registration.Address, registration.Port));
        Assert.Equal(ServiceRegistrationFactory.DefaultId("orders", 5001), registration.Id);
        Assert.Equal(HealthCheckKind.Ttl, registration.Check.Kind);
        Assert.Equal(Ttl, registration.Check.TimeToLive);
        Assert.Equal([TimeSpan.Zero, Beat, Beat * 2], registrar.Calls.Select(c => c.At - _time.Start));
    }

    [Fact]
    public async Task Heartbeat_RegistryForgotInstance_RegistersAgain()
    {
        var registrar = new RecordingRegistrar(_time, Beat);
        using var service = CreateService(registrar);
        await service.StartedAsync(default);
        Assert.Equal("register", await registrar.NextCallAsync());

        registrar.ForgetOnNextHeartbeat = true;
        await _time.AdvanceWhenScheduledAsync(Beat);

        Assert.Equal("heartbeat-unknown", await registrar.NextCallAsync());
        Assert.Equal("register", await registrar.NextCallAsync());
        await _time.AdvanceWhenScheduledAsync(Beat);
        Assert.Equal("heartbeat", await registrar.NextCallAsync());
    }

    [Fact]
    public async Task Started_RegistryDown_RetriesWithGrowingJitteredBackoffWithoutThrowing()
    {
        var registrar = new RecordingRegistrar(_time, null) { FailRegistrations = 3 };
        using var service = CreateService(registrar, o => { o.RetryDelay = TimeSpan.FromSeconds(1); o.MaxRetryDelay = TimeSpan.FromSeconds(30); });

        await service.StartedAsync(default);
        var ceilings = new[] { 1, 2, 4 };
        foreach (var ceiling in ceilings)
        {
            Assert.Equal("register-failed", await registrar.NextCallAsync());
            Assert.Equal(RegistrationState.Pending, service.State);
            var delay = await _time.WaitForTimerAsync();
            Assert.InRange(delay, TimeSpan.Zero, TimeSpan.FromSeconds(ceiling));
            _time.Advance(delay);
        }

        Assert.Equal("register", await registrar.NextCallAsync());
        Assert.Equal(RegistrationState.Registered, service.State);
    }

    [Fact]
    public async Task Stopping_Registered_GoesToMaintenanceDrainsThenDeregisters()
    {
        var registrar = new RecordingRegistrar(_time, null);
        using var service = CreateService(registrar);
        await service.StartedAsync(default);
        Assert.Equal("register", await registrar.NextCallAsync());

        var stopping = service.StoppingAsync(default);
        Assert.Equal("maintenance-on", await registrar.NextCallAsync());
        Assert.Equal(RegistrationState.Draining, service.State);
        await _time.WaitForTimerAsync(d => d == TimeSpan.FromSeconds(3));
        Assert.False(stopping.IsCompleted); // still serving while callers move away
        _time.Advance(TimeSpan.FromSeconds(3));
        Assert.Equal("deregister", await registrar.NextCallAsync());
        await stopping.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(RegistrationState.Deregistered, service.State);
        Assert.Equal(TimeSpan.FromSeconds(3), registrar.Calls.Last().At - registrar.Calls.Single(c => c.Call == "maintenance-on").At);
    }

    [Fact]
    public async Task Stopping_ShutdownTimeoutDuringDrain_StillDeregisters()
    {
        var registrar = new RecordingRegistrar(_time, null);
        using var service = CreateService(registrar);
        await service.StartedAsync(default);
        Assert.Equal("register", await registrar.NextCallAsync());
        using var shutdown = new CancellationTokenSource();

        var stopping = service.StoppingAsync(shutdown.Token);
        Assert.Equal("maintenance-on", await registrar.NextCallAsync());
        await shutdown.CancelAsync();

        Assert.Equal("deregister", await registrar.NextCallAsync());
        await stopping.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Stopping_NeverRegistered_MakesNoRegistryCalls()
    {
        var registrar = new RecordingRegistrar(_time, null) { FailRegistrations = int.MaxValue };
        using var service = CreateService(registrar);
        await service.StartedAsync(default);
        Assert.Equal("register-failed", await registrar.NextCallAsync());

        await service.StoppingAsync(default).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.DoesNotContain(registrar.Calls, c => c.Call is "maintenance-on" or "deregister");
    }

    [Fact]
    public async Task Started_NoServiceName_IsDisabled()
    {
        var registrar = new RecordingRegistrar(_time, null);
        using var service = CreateService(registrar, o => o.ServiceName = null);

        await service.StartedAsync(default);
        await service.StoppingAsync(default);

        Assert.Equal(RegistrationState.Disabled, service.State);
        Assert.Empty(registrar.Calls);
    }

    [Fact]
    public async Task Heartbeat_AppHealthDegraded_ReportsWarning()
    {
        var registrar = new RecordingRegistrar(_time, Beat);
        var health = new FixedHealthCheckService(HealthStatus.Degraded);
        using var service = CreateService(registrar, health: health);
        await service.StartedAsync(default);
        Assert.Equal("register", await registrar.NextCallAsync());

        await _time.AdvanceWhenScheduledAsync(Beat);
        Assert.Equal("heartbeat", await registrar.NextCallAsync());

        Assert.Equal(EndpointHealth.Warning, registrar.LastHealth!.Value.Status);
        Assert.Contains("db: Degraded", registrar.LastHealth.Value.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(HealthCheckKind.Http, "http://10.0.0.7:5001/healthz")]
    [InlineData(HealthCheckKind.Grpc, "10.0.0.7:5001")]
    public async Task Started_AgentRunCheck_RegistersCheckAgainstThisInstance(HealthCheckKind kind, string target)
    {
        var registrar = new RecordingRegistrar(_time, null);
        using var service = CreateService(registrar, o => o.Check = kind);

        await service.StartedAsync(default);
        Assert.Equal("register", await registrar.NextCallAsync());

        Assert.Equal(kind, registrar.LastRegistration!.Check.Kind);
        Assert.Equal(target, registrar.LastRegistration.Check.Target);
    }

    private sealed class FixedHealthCheckService(HealthStatus status) : HealthCheckService
    {
        public override Task<HealthReport> CheckHealthAsync(Func<HealthCheckRegistration, bool>? predicate, CancellationToken cancellationToken = default) =>
            Task.FromResult(new HealthReport(
                new Dictionary<string, HealthReportEntry> { ["db"] = new(status, "slow", TimeSpan.Zero, null, null) },
                TimeSpan.Zero));
    }
}
