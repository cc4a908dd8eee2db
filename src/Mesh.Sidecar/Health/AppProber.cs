using Mesh.Discovery;
using Mesh.Registration.Internal;
using Mesh.Sidecar.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry;

namespace Mesh.Sidecar.Health;

/// <summary>
/// Probes the app every <c>Probe:Interval</c> and keeps the latest <see cref="AppHealth"/>. The registration heartbeat
/// reports it (through the <c>app</c> health check), and a change is pushed to the registry at once
/// (<see cref="RegistrationService.RequestHeartbeat"/>), so it lands within one probe interval, not one heartbeat. The
/// first probe runs during start, before the app is registered.
/// </summary>
internal sealed partial class AppProber : IHostedService, IDisposable
{
    private readonly IAppProbe _probe;
    private readonly ProbeOptions _options;
    private readonly RegistrationService _registration;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private AppHealth _current = AppHealth.NotProbed;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _loop = Task.CompletedTask;

    /// <summary>Creates the prober.</summary>
    public AppProber(IAppProbe probe, IOptions<SidecarOptions> options, RegistrationService registration, TimeProvider time, ILogger<AppProber> logger)
    {
        _probe = probe;
        _options = options.Value.Probe;
        _registration = registration;
        _time = time;
        _logger = logger;
    }

    /// <summary>Gets the latest result.</summary>
    public AppHealth Current => Volatile.Read(ref _current);

    /// <summary>Gets what the probe does.</summary>
    public string Description => _probe.Description;

    /// <summary>Runs the first probe, then starts probing every interval.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await ProbeOnceAsync(cancellationToken).ConfigureAwait(false);
        _loop = Task.Run(() => RunAsync(_stopping.Token), CancellationToken.None);
    }

    /// <summary>Stops probing.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _loop.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Waits (bounded by <paramref name="cancellationToken"/>) until the app's status is <paramref name="status"/>.</summary>
    public async Task WaitForStatusAsync(EndpointHealth status, CancellationToken cancellationToken)
    {
        while (true)
        {
            var changed = Volatile.Read(ref _changed).Task; // before the read, so a change in between is not missed
            if (Current is { Probed: true } current && current.Status == status)
            {
                return;
            }

            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _stopping.Dispose();
        (_probe as IDisposable)?.Dispose();
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        try
        {
            while (true)
            {
                await Task.Delay(_options.Interval, _time, stopping).ConfigureAwait(false);
                await ProbeOnceAsync(stopping).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    private async Task ProbeOnceAsync(CancellationToken stopping)
    {
        ProbeResult result;
        using (SuppressInstrumentationScope.Begin()) // probes are not traffic: no spans, no HTTP client metrics' noise in traces
        {
            using var timeout = new CancellationTokenSource(_options.Timeout, _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(stopping, timeout.Token);
            try
            {
                result = await _probe.ProbeAsync(linked.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (!stopping.IsCancellationRequested)
            {
                result = new(false, timeout.IsCancellationRequested
                    ? $"{_probe.Description}: no answer within {_options.Timeout.TotalSeconds:0.###} s"
                    : $"{_probe.Description}: {ex.Message}");
            }
        }

        var previous = Current;
        var status = result.Healthy ? EndpointHealth.Passing : EndpointHealth.Critical;
        var now = _time.GetUtcNow();
        var changed = !previous.Probed || previous.Status != status;
        Volatile.Write(ref _current, new AppHealth(
            status, result.Output, now, changed ? now : previous.Since, result.Healthy ? 0 : previous.ConsecutiveFailures + 1));
        if (!changed)
        {
            return;
        }

        if (result.Healthy)
        {
            Log.AppPassing(_logger, result.Output);
        }
        else
        {
            Log.AppCritical(_logger, result.Output);
        }

        _registration.RequestHeartbeat();
        Interlocked.Exchange(ref _changed, new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }
}
