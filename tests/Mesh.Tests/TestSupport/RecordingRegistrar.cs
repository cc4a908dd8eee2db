using System.Collections.Concurrent;
using System.Threading.Channels;
using Mesh.Consul;
using Mesh.Registration;

namespace Mesh.Tests.TestSupport;

/// <summary>A registry that records each call (in order, with the fake time it happened) and can be told to fail.</summary>
internal sealed class RecordingRegistrar(TimeProvider time, TimeSpan? heartbeatInterval) : IServiceRegistrar
{
    private readonly Channel<string> _calls = Channel.CreateUnbounded<string>();

    public ConcurrentQueue<(string Call, DateTimeOffset At)> Calls { get; } = new();

    public ServiceRegistration? LastRegistration { get; private set; }

    public RegistrationHealth? LastHealth { get; private set; }

    /// <summary>How many of the next register calls fail as if the registry were down.</summary>
    public int FailRegistrations;

    /// <summary>Whether the next heartbeat answers "not registered" (an agent restart).</summary>
    public bool ForgetOnNextHeartbeat;

    public TimeSpan? GetHeartbeatInterval(ServiceRegistration registration) => heartbeatInterval;

    public Task RegisterAsync(ServiceRegistration registration, CancellationToken cancellationToken)
    {
        LastRegistration = registration;
        if (Interlocked.Decrement(ref FailRegistrations) >= 0)
        {
            Record("register-failed");
            throw new ConsulException("Consul at http://127.0.0.1:8500/ could not be reached: Connection refused");
        }

        Record("register");
        return Task.CompletedTask;
    }

    public Task<HeartbeatResult> HeartbeatAsync(ServiceRegistration registration, RegistrationHealth health, CancellationToken cancellationToken)
    {
        LastHealth = health;
        var forget = ForgetOnNextHeartbeat;
        ForgetOnNextHeartbeat = false;
        Record(forget ? "heartbeat-unknown" : "heartbeat");
        return Task.FromResult(forget ? HeartbeatResult.NotRegistered : HeartbeatResult.Renewed);
    }

    public Task SetMaintenanceAsync(ServiceRegistration registration, bool enable, string? reason, CancellationToken cancellationToken)
    {
        Record(enable ? "maintenance-on" : "maintenance-off");
        return Task.CompletedTask;
    }

    public Task DeregisterAsync(ServiceRegistration registration, CancellationToken cancellationToken)
    {
        Record("deregister");
        return Task.CompletedTask;
    }

    /// <summary>Waits (bounded) for the next call and returns its name.</summary>
    public async Task<string> NextCallAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return await _calls.Reader.ReadAsync(cts.Token);
    }

    private void Record(string call)
    {
        Calls.Enqueue((call, time.GetUtcNow()));
        _calls.Writer.TryWrite(call);
    }
}
