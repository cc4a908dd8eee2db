using Mesh.Telemetry.Internal;

namespace Mesh.Resilience.Internal;

/// <summary>
/// The breaker of one service, shaped like Polly's "advanced" breaker (failure ratio over a sliding window, minimum
/// throughput, break duration, one half-open probe at a time) but split into acquire and report, because a stream's
/// outcome is known long after it started. The closed path is lock-free; the lock guards only the rare transitions.
/// </summary>
internal sealed class ServiceCircuitBreaker
{
    private readonly Lock _lock = new();
    private readonly string _serviceName;
    private readonly TimeProvider _timeProvider;
    private readonly ICallPolicyObserver? _observer;
    private readonly RollingCounter _attempts;
    private readonly RollingCounter _failures;
    private readonly double _failureRatio;
    private readonly int _minimumThroughput;
    private readonly long _breakTicks;
    private volatile int _state = (int)CircuitState.Closed;

    // Timestamp before which no (further) probe is let through while open or half-open.
    private long _nextProbeAt;

    public ServiceCircuitBreaker(string serviceName, CircuitBreakerOptions options, TimeProvider timeProvider, ICallPolicyObserver? observer)
    {
        _serviceName = serviceName;
        _timeProvider = timeProvider;
        _observer = observer;
        _attempts = new RollingCounter(timeProvider, options.SamplingDuration);
        _failures = new RollingCounter(timeProvider, options.SamplingDuration);
        _failureRatio = options.FailureRatio;
        _minimumThroughput = options.MinimumThroughput;
        _breakTicks = (long)(options.BreakDuration.TotalSeconds * timeProvider.TimestampFrequency);
    }

    public CircuitState State => (CircuitState)_state;

    public bool TryAcquire(out BreakerPermit permit)
    {
        permit = default;
        if (_state == (int)CircuitState.Closed)
        {
            return true;
        }

        var now = _timeProvider.GetTimestamp();
        var due = Volatile.Read(ref _nextProbeAt);
        if (now < due || Interlocked.CompareExchange(ref _nextProbeAt, now + _breakTicks, due) != due)
        {
            return false;
        }

        // This caller won the probe; a probe that never reports frees the slot again after another break.
        CircuitState previous;
        lock (_lock)
        {
            previous = (CircuitState)_state;
            if (previous == CircuitState.Closed)
            {
                return true;
            }

            _state = (int)CircuitState.HalfOpen;
        }

        if (previous != CircuitState.HalfOpen)
        {
            Notify(previous, CircuitState.HalfOpen);
        }

        permit = new BreakerPermit(isProbe: true);
        return true;
    }

    public void Report(BreakerPermit permit, AttemptOutcome outcome)
    {
        if (permit.IsProbe)
        {
            ReportProbe(outcome);
            return;
        }

        if (outcome == AttemptOutcome.Ignored || _state != (int)CircuitState.Closed)
        {
            // Results of attempts sent before the breaker opened say nothing about the service now.
            return;
        }

        _attempts.Increment();
        if (outcome == AttemptOutcome.Failure)
        {
            _failures.Increment();
            var attempts = _attempts.Sum();
            if (attempts >= _minimumThroughput && _failures.Sum() >= _failureRatio * attempts)
            {
                Transition(CircuitState.Closed, CircuitState.Open);
            }
        }
    }

    private void ReportProbe(AttemptOutcome outcome)
    {
        switch (outcome)
        {
            case AttemptOutcome.Success:
                Transition(CircuitState.HalfOpen, CircuitState.Closed);
                break;
            case AttemptOutcome.Failure:
                Transition(CircuitState.HalfOpen, CircuitState.Open);
                break;
            default:
                // A cancelled probe proved nothing: let the next caller probe at once.
                Volatile.Write(ref _nextProbeAt, _timeProvider.GetTimestamp());
                break;
        }
    }

    private void Transition(CircuitState from, CircuitState to)
    {
        lock (_lock)
        {
            if (_state != (int)from)
            {
                return;
            }

            if (to == CircuitState.Open)
            {
                Volatile.Write(ref _nextProbeAt, _timeProvider.GetTimestamp() + _breakTicks);
            }
            else
            {
                // A closed breaker starts from a clean window, so the failures that opened it cannot re-open it.
                _attempts.Reset();
                _failures.Reset();
            }

            _state = (int)to;
        }

        Notify(from, to);
    }

    private void Notify(CircuitState from, CircuitState to)
    {
        MeshActivities.CircuitEvent(_serviceName, to);
        _observer?.OnCircuitStateChanged(new CircuitStateChangedArguments(_serviceName, from, to));
    }
}
