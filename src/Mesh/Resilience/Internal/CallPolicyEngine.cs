using System.Diagnostics;
using System.Globalization;
using Grpc.Core;
using Mesh.Internal;
using Mesh.Telemetry.Internal;

namespace Mesh.Resilience.Internal;

/// <summary>
/// The shared state and decisions of one service's policy: method policies, retry budget, breaker, observer.
/// Every call wrapper (unary, hedged, streaming) asks it the same questions, so the rules live in one place.
/// </summary>
internal sealed class CallPolicyEngine
{
    private readonly StatusCodeSet _breakerFailures;
    private readonly AttemptTelemetry _attempts;

    public CallPolicyEngine(string serviceName, CallPolicyOptions options, TimeProvider timeProvider, ICallPolicyObserver? observer)
    {
        ServiceName = serviceName;
        TimeProvider = timeProvider;
        Observer = observer;
        _attempts = new AttemptTelemetry(serviceName, timeProvider, observer);
        Methods = new MethodPolicyResolver(options);
        Budget = new RetryBudget(options.Budget, timeProvider);
        Breaker = options.CircuitBreaker.Enabled ? new ServiceCircuitBreaker(serviceName, options.CircuitBreaker, timeProvider, observer) : null;
        _breakerFailures = options.CircuitBreaker.FailureStatusCodes is { } failures ? StatusCodeSet.From(failures) : StatusCodeSet.From(CallPolicyDefaults.FailureStatusCodes);
        CircuitOpenStatus = new Status(StatusCode.Unavailable, $"circuit open for '{serviceName}'");
        FallbackTimeout = options.FallbackTimeout > TimeSpan.Zero ? new FallbackTimeout(options.FallbackTimeout, timeProvider) : null;
        FallbackExpiredStatus = new Status(StatusCode.DeadlineExceeded, string.Create(CultureInfo.InvariantCulture,
            $"Deadline Exceeded: no answer from '{serviceName}' within the fallback timeout ({options.FallbackTimeout.TotalSeconds:0.###} s)"));
    }

    public string ServiceName { get; }

    public TimeProvider TimeProvider { get; }

    public ICallPolicyObserver? Observer { get; }

    public MethodPolicyResolver Methods { get; }

    public RetryBudget Budget { get; }

    public ServiceCircuitBreaker? Breaker { get; }

    public Status CircuitOpenStatus { get; }

    /// <summary>Gets the bound of unary calls that no deadline bounds; null when turned off.</summary>
    public FallbackTimeout? FallbackTimeout { get; }

    /// <summary>Gets the status of a call ended by <see cref="FallbackTimeout"/>.</summary>
    public Status FallbackExpiredStatus { get; }

    /// <summary>Gets or sets the source of full-jitter samples in [0, 1); tests make it deterministic.</summary>
    public Func<double> Jitter { get; set; } = Random.Shared.NextDouble;

    public RpcException CircuitOpenException() => new(CircuitOpenStatus);

    /// <summary>Gets whether <see cref="BeginCall"/> would trace or time a call starting now (else a call wrapper may take its lean path).</summary>
    public bool ObservesCalls => MeshActivities.Source.HasListeners() || Observer is { IsEnabled: true };

    /// <summary>
    /// Starts a logical call's telemetry: its span when something listens to Mesh's source, its start time when an
    /// observer wants durations. Neither on: one flag check and one null check.
    /// </summary>
    public CallTelemetry BeginCall(MethodPolicy method)
    {
        Activity? activity = null;
        Activity? previous = null;
        if (MeshActivities.Source.HasListeners())
        {
            previous = Activity.Current;
            activity = MeshActivities.StartCall(ServiceName, method.Names);
        }

        return new CallTelemetry(activity, previous, Observer is { IsEnabled: true } ? TimeProvider.GetTimestamp() : 0);
    }

    /// <summary>Ends a logical call's telemetry with the status its caller sees.</summary>
    public void EndCall(in CallTelemetry call, MethodPolicy method, Status status)
    {
        if (call.Activity is { } activity)
        {
            MeshActivities.StopCall(activity, status);
        }

        if (Observer is { } observer && call.StartedAt != 0)
        {
            observer.OnCallFinished(new CallFinishedArguments(ServiceName, method.FullName, status, TimeProvider.GetElapsedTime(call.StartedAt)));
        }
    }

    /// <summary>
    /// Asks the breaker for leave to send an attempt and tells the observer it starts. When the call is traced, the
    /// attempt's span is current on return; call <see cref="AttemptSent"/> once the attempt's call object exists.
    /// </summary>
    public bool TryBeginAttempt(MethodPolicy method, int number, bool isHedge, TimeSpan waited, in CallTelemetry call, out AttemptToken token)
    {
        var permit = default(BreakerPermit);
        if (Breaker is not null && !Breaker.TryAcquire(out permit))
        {
            token = default;
            return false;
        }

        _attempts.Start(method, number, isHedge, waited, call, permit, out token);
        return true;
    }

    /// <summary>
    /// <see cref="TryBeginAttempt"/> for the first attempt of a call nobody observes (<see cref="ObservesCalls"/> was
    /// false as it started): only the breaker is asked, and the attempt's token is its permit.
    /// </summary>
    public bool TryBeginUnobservedAttempt(out BreakerPermit permit)
    {
        permit = default;
        return Breaker is null || Breaker.TryAcquire(out permit);
    }

    /// <summary>
    /// <see cref="EndAttempt"/> for an unobserved attempt (see <see cref="TryBeginUnobservedAttempt"/>) that succeeded:
    /// all there is to record is the breaker's success.
    /// </summary>
    public void EndUnobservedSuccess(BreakerPermit permit) => Breaker?.Report(permit, Classify(StatusCode.OK));

    /// <summary>
    /// Like <see cref="TryBeginAttempt"/> for a hedge, which also needs the budget: the breaker is asked first, so a
    /// hedge it refuses spends no budget. A refusal of either ends the hedging; the call waits for what is in flight.
    /// </summary>
    public bool TryBeginHedge(MethodPolicy method, int number, TimeSpan waited, Status lastStatus, in CallTelemetry call, out AttemptToken token)
    {
        var permit = default(BreakerPermit);
        if (Breaker is not null && !Breaker.TryAcquire(out permit))
        {
            token = default;
            return false;
        }

        if (!Budget.TryWithdraw())
        {
            // The permit goes back unused: a probe slot it held frees at once.
            Breaker?.Report(permit, AttemptOutcome.Ignored);
            _attempts.HedgeDenied(method, number, lastStatus, call);
            token = default;
            return false;
        }

        _attempts.Start(method, number, isHedge: true, waited, call, permit, out token);
        return true;
    }

    /// <summary>The attempt's request is on its way (grpc-dotnet has captured the context): the attempt span stops being current.</summary>
    public static void AttemptSent(in AttemptToken token)
    {
        if (token.Call is not null)
        {
            Activity.Current = token.Previous;
        }
    }

    /// <summary>
    /// Records how an attempt ended and, when <paramref name="mayRetry"/>, decides whether another follows and after
    /// which delay (full jitter or server pushback, never past the deadline, within the budget).
    /// </summary>
    public RetryDecision EndAttempt(in AttemptToken token, MethodPolicy method, in CallScope scope, Status status, Metadata? trailers, bool mayRetry, out TimeSpan delay) =>
        EndForwardedAttempt(token, method, scope, status, trailers?.GetValue(Pushback.TrailerName), mayRetry, out delay);

    /// <summary>
    /// <see cref="EndAttempt(in AttemptToken, MethodPolicy, in CallScope, Status, Metadata?, bool, out TimeSpan)"/> for a
    /// front door that holds no gRPC <see cref="Metadata"/> (the sidecar's forwarder reads the answer's headers itself);
    /// <paramref name="pushback"/> is the answer's <c>grpc-retry-pushback-ms</c> value, null when it sent none.
    /// </summary>
    public RetryDecision EndForwardedAttempt(in AttemptToken token, MethodPolicy method, in CallScope scope, Status status, string? pushback, bool mayRetry, out TimeSpan delay)
    {
        delay = TimeSpan.Zero;
        var outcome = Classify(status.StatusCode);

        // A failed probe is the service saying it is still down: it re-opens the breaker, and a retry could only be
        // refused (or, were it let through as the next probe, make one call of MaxAttempts probes).
        var probeFailed = token.Permit.IsProbe && outcome == AttemptOutcome.Failure;
        var decision = mayRetry && !probeFailed ? PlanRetry(token.Number, method, scope, status, pushback, ref delay) : RetryDecision.Stop;

        // The breaker judges the service by what callers get: a failed attempt that is retried (one dead instance
        // among healthy ones) says nothing yet; the call's last attempt does. Otherwise a single bad instance that
        // P2C or round robin still picks now and then would open the breaker for every healthy instance too.
        Breaker?.Report(token.Permit, decision == RetryDecision.Retry && outcome == AttemptOutcome.Failure ? AttemptOutcome.Ignored : outcome);
        _attempts.Finish(token, method, status, decision);
        return decision;
    }

    /// <summary>
    /// Records a hedge's failure with a retriable status. Whether the breaker counts it depends on whether the call
    /// ends with it, which only the rest of the call tells: returns <see langword="true"/> when that report is left to
    /// <see cref="SettleHedge"/>. A failed probe is reported at once, as in <see cref="EndAttempt"/>.
    /// </summary>
    public bool EndRetriableHedge(in AttemptToken token, MethodPolicy method, Status status)
    {
        var outcome = Classify(status.StatusCode);
        var deferred = outcome == AttemptOutcome.Failure && !token.Permit.IsProbe;
        if (!deferred)
        {
            Breaker?.Report(token.Permit, outcome);
        }

        _attempts.Finish(token, method, status, RetryDecision.Stop);
        return deferred;
    }

    /// <summary>Reports a failure <see cref="EndRetriableHedge"/> deferred: a failure if the call ended with it, else nothing learnt.</summary>
    public void SettleHedge(in AttemptToken token, bool endedTheCall) =>
        Breaker?.Report(token.Permit, endedTheCall ? AttemptOutcome.Failure : AttemptOutcome.Ignored);

    /// <summary>Records an attempt abandoned by us (a losing hedge, a disposed call): it teaches the breaker nothing.</summary>
    public void AbandonAttempt(in AttemptToken token, MethodPolicy method)
    {
        Breaker?.Report(token.Permit, AttemptOutcome.Ignored);
        _attempts.Abandon(token, method);
    }

    public static TimeSpan BackoffCeiling(MethodPolicy method, int failures) => Backoff.Ceiling(failures, method.InitialBackoff, method.MaxBackoff);

    private RetryDecision PlanRetry(int failures, MethodPolicy method, in CallScope scope, Status status, string? pushback, ref TimeSpan delay)
    {
        if (failures >= method.MaxAttempts || !method.RetriableStatusCodes.Contains(status.StatusCode) || scope.CancellationToken.IsCancellationRequested)
        {
            return RetryDecision.Stop;
        }

        switch (Pushback.Read(pushback, out var pushbackDelay))
        {
            case Pushback.Kind.Stop:
                return RetryDecision.Stop;
            case Pushback.Kind.Delay:
                delay = pushbackDelay;
                break;
            default:
                // Full jitter: uniform in [0, ceiling]; Mesh.Internal.Backoff owns the ceiling's growth.
                delay = TimeSpan.FromTicks((long)(BackoffCeiling(method, failures).Ticks * Jitter()));
                break;
        }

        // An open (or probing) breaker would refuse the retry after its backoff: end now, with the budget untouched.
        if (delay >= scope.Remaining(TimeProvider) || Breaker is { State: not CircuitState.Closed })
        {
            return RetryDecision.Stop;
        }

        return Budget.TryWithdraw() ? RetryDecision.Retry : RetryDecision.BudgetDenied;
    }

    private AttemptOutcome Classify(StatusCode code) => code switch
    {
        StatusCode.Cancelled => AttemptOutcome.Ignored,
        _ when _breakerFailures.Contains(code) => AttemptOutcome.Failure,
        _ => AttemptOutcome.Success,
    };
}
