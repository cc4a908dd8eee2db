using Mesh.Internal;
using Mesh.Telemetry.Internal;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Mesh.Registration.Internal;

/// <summary>
/// Registers this instance once the app has started (when its bound addresses are known), keeps it alive with
/// heartbeats, re-registers when the registry forgot it, and on graceful stop goes into maintenance, waits the drain
/// delay while still serving, then deregisters — all before the server stops accepting requests.
/// </summary>
internal sealed partial class RegistrationService : IHostedLifecycleService, IDisposable
{
    /// <summary>How long deregistration may take after the drain; the host's shutdown timeout is raised by it and the drain.</summary>
    public static readonly TimeSpan DeregisterTimeout = TimeSpan.FromSeconds(5);

    private readonly IServiceRegistrar _registrar;
    private readonly RegistrationOptions _options;
    private readonly IServer? _server;
    private readonly RegistrationHealthSource _health;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private Task _loop = Task.CompletedTask;
    private ServiceRegistration? _registration;
    private readonly MeshMetrics? _metrics;
    private volatile RegistrationState _state;
    private TaskCompletionSource _stateChanged = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _heartbeatRequested = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly IRegistrationAddressSource? _addressSource;

    public RegistrationService(
        IServiceRegistrar registrar,
        IOptions<MeshOptions> options,
        RegistrationHealthSource health,
        TimeProvider timeProvider,
        ILogger<RegistrationService> logger,
        IServer? server = null,
        MeshMetrics? metrics = null,
        IRegistrationAddressSource? addressSource = null)
    {
        _metrics = metrics;
        _addressSource = addressSource;
        _registrar = registrar;
        _options = options.Value.Registration;
        _server = server;
        _health = health;
        _timeProvider = timeProvider;
        _logger = logger;
        _state = _options.Enabled && !string.IsNullOrWhiteSpace(_options.ServiceName) ? RegistrationState.Pending : RegistrationState.Disabled;
        metrics?.TrackRegistration(this, () => (_options.ServiceName, _state));
    }

    /// <summary>Gets the lifecycle state.</summary>
    public RegistrationState State => _state;

    /// <summary>Gets what was registered, once it has been.</summary>
    public ServiceRegistration? Registration => Volatile.Read(ref _registration);

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Starts after every hosted service (the server included) has started, so its addresses are bound.</summary>
    public Task StartedAsync(CancellationToken cancellationToken)
    {
        if (_state != RegistrationState.Disabled)
        {
            _loop = Task.Run(() => RunAsync(_stopping.Token), CancellationToken.None);
        }

        return Task.CompletedTask;
    }

    /// <summary>Drains before any hosted service stops, so the server still serves while callers move away.</summary>
    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        if (_state != RegistrationState.Registered || Registration is not { } registration)
        {
            return;
        }

        SetState(RegistrationState.Draining);
        var drainStarted = _timeProvider.GetTimestamp();
        try
        {
            await _registrar.SetMaintenanceAsync(registration, true, "Draining: shutting down", cancellationToken).ConfigureAwait(false);
            Log.Draining(_logger, registration.Id, _options.DrainDelay.TotalSeconds);
            if (_options.DrainDelay > TimeSpan.Zero)
            {
                await Task.Delay(_options.DrainDelay, _timeProvider, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.DrainFailed(_logger, registration.Id, ex.Message);
        }
        catch (OperationCanceledException)
        {
            // The host's shutdown timeout ran out mid-drain (it covers the drain unless the app lowered it after Mesh
            // raised it): say so, since the log above promised the full delay, and still deregister below.
            Log.DrainCutShort(_logger, registration.Id, _timeProvider.GetElapsedTime(drainStarted).TotalSeconds, _options.DrainDelay.TotalSeconds);
        }

        try
        {
            using var deregisterTimeout = new CancellationTokenSource(DeregisterTimeout, _timeProvider);
            await _registrar.DeregisterAsync(registration, deregisterTimeout.Token).ConfigureAwait(false);
            SetState(RegistrationState.Deregistered);
            Log.Deregistered(_logger, registration.Id);
        }
        catch (Exception ex)
        {
            // DeregisterCriticalServiceAfter (or the Local lease) removes the instance anyway.
            Log.DeregisterFailed(_logger, registration.Id, ex.Message);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose()
    {
        _metrics?.Untrack(this);
        _stopping.Dispose();
    }

    private void SetState(RegistrationState state)
    {
        if (_state == state)
        {
            return;
        }

        // The transition is counted before the state is published, so whoever sees the new state also sees it counted.
        _metrics?.RegistrationEntered(_options.ServiceName, state);
        _state = state;
        Interlocked.Exchange(ref _stateChanged, new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }

    /// <summary>Waits until the state is <paramref name="state"/> (for hosts and tests that must not race the registration loop).</summary>
    public async Task WaitForStateAsync(RegistrationState state, CancellationToken cancellationToken)
    {
        while (true)
        {
            // Read the signal before the state so a change in between is never missed.
            var changed = Volatile.Read(ref _stateChanged).Task;
            if (_state == state)
            {
                return;
            }

            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        try
        {
            ServiceRegistration registration;
            try
            {
                registration = ServiceRegistrationFactory.Create(_options, _server, _addressSource?.GetAddress());
            }
            catch (InvalidOperationException ex)
            {
                Log.CannotRegister(_logger, ex.Message);
                SetState(RegistrationState.Disabled);
                return;
            }

            Volatile.Write(ref _registration, registration);
            await RegisterWithRetryAsync(registration, stopping).ConfigureAwait(false);
            if (_registrar.GetHeartbeatInterval(registration) is not { } interval)
            {
                return;
            }

            while (true)
            {
                await WaitForNextBeatAsync(interval, stopping).ConfigureAwait(false);
                await HeartbeatAsync(registration, stopping).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// Sends a heartbeat now rather than at the next interval, so a health change seen by someone else (the sidecar's
    /// app probe) reaches the registry at once. A request made before registration completes beats right after it.
    /// </summary>
    public void RequestHeartbeat() => Volatile.Read(ref _heartbeatRequested).TrySetResult();

    /// <summary>Waits for the heartbeat interval or a <see cref="RequestHeartbeat"/>, whichever comes first.</summary>
    private async Task WaitForNextBeatAsync(TimeSpan interval, CancellationToken stopping)
    {
        var requested = Volatile.Read(ref _heartbeatRequested);
        if (!requested.Task.IsCompleted)
        {
            using var tick = CancellationTokenSource.CreateLinkedTokenSource(stopping);
            var delay = Task.Delay(interval, _timeProvider, tick.Token);
            await Task.WhenAny(delay, requested.Task).ConfigureAwait(false);
            await tick.CancelAsync().ConfigureAwait(false); // a request came first: drop the interval's timer
            stopping.ThrowIfCancellationRequested();
        }

        if (requested.Task.IsCompleted)
        {
            // Re-arm before the beat reads the health, so a change during the beat asks for another one.
            Interlocked.CompareExchange(ref _heartbeatRequested, new(TaskCreationOptions.RunContinuationsAsynchronously), requested);
        }
    }

    private async Task HeartbeatAsync(ServiceRegistration registration, CancellationToken stopping)
    {
        try
        {
            var health = await _health.GetAsync(stopping).ConfigureAwait(false);
            if (await _registrar.HeartbeatAsync(registration, health, stopping).ConfigureAwait(false) == HeartbeatResult.NotRegistered)
            {
                // The registry restarted or expired us: put ourselves back.
                Log.Reregistering(_logger, registration.Id);
                await RegisterWithRetryAsync(registration, stopping).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The next beat retries; the TTL allows three beats before the instance turns critical.
            Log.HeartbeatFailed(_logger, registration.Id, ex.Message);
        }
    }

    private async Task RegisterWithRetryAsync(ServiceRegistration registration, CancellationToken stopping)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await _registrar.RegisterAsync(registration, stopping).ConfigureAwait(false);
                SetState(RegistrationState.Registered);
                Log.Registered(_logger, registration.Id, registration.Name, registration.Address, registration.Port);
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                SetState(RegistrationState.Pending);
                var delay = Backoff.FullJitter(attempt, _options.RetryDelay, _options.MaxRetryDelay);
                Log.RegisterFailed(_logger, registration.Id, attempt, delay.TotalSeconds, ex.Message);
                await Task.Delay(delay, _timeProvider, stopping).ConfigureAwait(false);
            }
        }
    }
}
