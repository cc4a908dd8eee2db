using Grpc.Core;
using Microsoft.Extensions.Logging;
using Mesh.Telemetry.Internal;

namespace Mesh.Balancing.Internal;

/// <summary>
/// Ejects the instances of one balancer whose calls fail (consecutive failures, or a failure rate over an interval)
/// and brings them back after an ejection time that grows with repeat ejections. Counting is lock-free; the lock is
/// taken only to eject or return, which is rare.
/// </summary>
internal sealed partial class OutlierDetector
{
    private readonly OutlierDetectionOptions _options;
    private readonly EndpointGroup _group;
    private readonly ILogger _logger;
    private readonly bool[] _failureCodes = new bool[17];
    private readonly long _baseEjectionTimestamps;
    private readonly Lock _lock = new();
    private int _ejectedCount;

    public OutlierDetector(OutlierDetectionOptions options, EndpointGroup group, ILogger logger)
    {
        _options = options;
        _group = group;
        _logger = logger;
        foreach (var code in options.FailureStatusCodes ?? BalancingDefaults.FailureStatusCodes)
        {
            if ((uint)code < _failureCodes.Length)
            {
                _failureCodes[(int)code] = true;
            }
        }

        _baseEjectionTimestamps = Math.Max(1, (long)(options.BaseEjectionTime.TotalSeconds * group.Time.TimestampFrequency));
    }

    public bool Enabled => _options.Enabled;

    public int EjectedCount => Volatile.Read(ref _ejectedCount);

    public bool IsFailureStatus(StatusCode code) => (uint)code < (uint)_failureCodes.Length && _failureCodes[(int)code];

    public static void OnSuccess(EndpointState endpoint, long now)
    {
        var state = endpoint.Outlier;
        // Read before writing so the common case (no failures) does not dirty a shared cache line on every call.
        if (Volatile.Read(ref state.ConsecutiveFailures) != 0)
        {
            Volatile.Write(ref state.ConsecutiveFailures, 0);
        }

        state.Window.Add(now, failure: false);
        if (state.OnProbation)
        {
            state.OnProbation = false;
        }
    }

    public void OnFailure(EndpointState endpoint, long now)
    {
        if (endpoint.IsEjected)
        {
            return; // a call that was in flight when the instance was ejected
        }

        var state = endpoint.Outlier;
        var consecutive = Interlocked.Increment(ref state.ConsecutiveFailures);
        state.Window.Add(now, failure: true);
        EjectionReason reason;
        if (state.OnProbation)
        {
            reason = EjectionReason.FailedAfterReturn;
        }
        else if (consecutive >= _options.ConsecutiveFailures)
        {
            reason = EjectionReason.ConsecutiveFailures;
        }
        else if (FailureRateReached(state, now))
        {
            reason = EjectionReason.FailureRate;
        }
        else
        {
            return;
        }

        TryEject(endpoint, reason, now);
    }

    private bool FailureRateReached(OutlierState state, long now)
    {
        var (calls, failures) = state.Window.Sum(now);
        return calls >= _options.FailureRateMinimumCalls && failures >= calls * _options.FailureRateThreshold;
    }

    private void TryEject(EndpointState endpoint, EjectionReason reason, long now)
    {
        EndpointEjectionEventArgs args;
        lock (_lock)
        {
            if (endpoint.IsEjected || endpoint.IsDetached)
            {
                return;
            }

            // Never more than the configured share, and never the last instance: a degraded instance beats none.
            var total = _group.EndpointCount;
            var allowed = Math.Min(total - 1, total * _options.MaxEjectionPercent / 100);
            if (_ejectedCount >= allowed)
            {
                Log.EjectionCapped(_logger, _group.ServiceName, endpoint.Endpoint, _ejectedCount, total);
                return;
            }

            var state = endpoint.Outlier;
            // Each healthy base ejection time since the last return forgives one past ejection.
            var forgiven = state.ReturnedAt is { } returnedAt ? (now - returnedAt) / _baseEjectionTimestamps : 0;
            state.TimesEjected = (int)Math.Max(0, state.TimesEjected - forgiven) + 1;
            var ticks = Math.Min(_options.MaxEjectionTime.Ticks, _options.BaseEjectionTime.Ticks * (double)state.TimesEjected);
            state.Duration = TimeSpan.FromTicks((long)ticks);
            state.Reason = reason;
            state.EjectedUntil = _group.Time.GetUtcNow() + state.Duration;
            endpoint.IsEjected = true;
            _ejectedCount++;
            state.ReturnTimer = _group.Time.CreateTimer(_ => Return(endpoint), null, state.Duration, Timeout.InfiniteTimeSpan);
            args = Arguments(endpoint);
        }

        Log.Ejected(_logger, _group.ServiceName, endpoint.Endpoint, reason, args.EjectionTime.TotalSeconds, args.TimesEjected);
        MeshActivities.EndpointEvent(MeshTraceNames.EndpointEjected, _group.ServiceName, endpoint.Endpoint, reason.ToString());
        Raise(_group.Monitor is { } monitor ? monitor.OnEjected : null, args);
    }

    /// <summary>Ends an ejection when its time is up; the instance is on probation until its next success.</summary>
    internal void Return(EndpointState endpoint)
    {
        EndpointEjectionEventArgs args;
        lock (_lock)
        {
            if (!endpoint.IsEjected)
            {
                return;
            }

            var state = endpoint.Outlier;
            EndEjectionLocked(endpoint);
            state.OnProbation = true;
            Volatile.Write(ref state.ConsecutiveFailures, 0);
            state.Window.Clear();
            state.ReturnedAt = _group.Time.GetTimestamp();
            args = Arguments(endpoint);
        }

        Log.Returned(_logger, _group.ServiceName, endpoint.Endpoint);
        MeshActivities.EndpointEvent(MeshTraceNames.EndpointReturned, _group.ServiceName, endpoint.Endpoint, null);
        Raise(_group.Monitor is { } monitor ? monitor.OnReturned : null, args);
    }

    /// <summary>Forgets an instance discovery no longer reports (no return event: it left rotation for good).</summary>
    public void Detach(EndpointState endpoint)
    {
        lock (_lock)
        {
            endpoint.IsDetached = true;
            if (endpoint.IsEjected)
            {
                EndEjectionLocked(endpoint);
            }
        }
    }

    private void EndEjectionLocked(EndpointState endpoint)
    {
        endpoint.IsEjected = false;
        endpoint.Outlier.EjectedUntil = null;
        _ejectedCount--;
        endpoint.Outlier.ReturnTimer?.Dispose();
        endpoint.Outlier.ReturnTimer = null;
    }

    private EndpointEjectionEventArgs Arguments(EndpointState endpoint) =>
        new(_group.ServiceName, endpoint.Endpoint, endpoint.Outlier.Reason, endpoint.Outlier.TimesEjected, endpoint.Outlier.Duration, _group.Time.GetUtcNow());

    private void Raise(Action<EndpointEjectionEventArgs>? handler, EndpointEjectionEventArgs args)
    {
        try
        {
            handler?.Invoke(args);
        }
#pragma warning disable CA1031 // A subscriber's bug must not break the call that triggered the event.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.HandlerFailed(_logger, _group.ServiceName, ex);
        }
    }
}
