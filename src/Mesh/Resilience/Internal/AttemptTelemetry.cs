using System.Diagnostics;
using Grpc.Core;
using Mesh.Telemetry.Internal;

namespace Mesh.Resilience.Internal;

/// <summary>
/// What the engine tells the trace and the observer about attempts: their spans, started/finished events and budget
/// refusals. The engine decides; this only reports, so the decisions read without the reporting in between.
/// </summary>
internal sealed class AttemptTelemetry
{
    private static readonly Status AbandonedStatus = new(StatusCode.Cancelled, "Abandoned by the call policy.");

    private readonly string _serviceName;
    private readonly TimeProvider _timeProvider;
    private readonly ICallPolicyObserver? _observer;

    public AttemptTelemetry(string serviceName, TimeProvider timeProvider, ICallPolicyObserver? observer)
    {
        _serviceName = serviceName;
        _timeProvider = timeProvider;
        _observer = observer;
    }

    /// <summary>Starts the attempt's span (current on return) and tells the observer, when the call is observed.</summary>
    public void Start(MethodPolicy method, int number, bool isHedge, TimeSpan waited, in CallTelemetry call, BreakerPermit permit, out AttemptToken token)
    {
        Activity? attempt = null;
        Activity? previous = null;
        if (call.Activity is { } callActivity)
        {
            previous = Activity.Current;
            attempt = MeshActivities.StartAttempt(callActivity, method.Names, number, isHedge, waited);
        }

        // The call's observer decision holds for its attempts: events come in started/finished pairs.
        var observer = _observer;
        if (observer is null || call.StartedAt == 0)
        {
            token = new AttemptToken(number, isHedge, permit, 0, call.Activity, attempt, previous);
            return;
        }

        token = new AttemptToken(number, isHedge, permit, _timeProvider.GetTimestamp(), call.Activity, attempt, previous);
        observer.OnAttemptStarted(new AttemptStartedArguments(_serviceName, method.FullName, number, isHedge, waited));
    }

    /// <summary>Ends the attempt's span with the outcome <paramref name="decision"/> gives it, and tells the observer.</summary>
    public void Finish(in AttemptToken token, MethodPolicy method, Status status, RetryDecision decision)
    {
        if (token.Activity is { } attempt)
        {
            MeshActivities.StopAttempt(attempt, token.Call, status, decision switch
            {
                _ when status.StatusCode == StatusCode.OK => AttemptOutcomes.Success,
                RetryDecision.Retry => AttemptOutcomes.Retried,
                RetryDecision.BudgetDenied => AttemptOutcomes.BudgetDenied,
                _ => AttemptOutcomes.Failure,
            });
        }

        if (decision == RetryDecision.BudgetDenied)
        {
            AddBudgetEvent(token.Call, token.Number + 1);
        }

        if (token.StartedAt != 0 && _observer is { } observer)
        {
            var duration = _timeProvider.GetElapsedTime(token.StartedAt);
            observer.OnAttemptFinished(new AttemptFinishedArguments(_serviceName, method.FullName, token.Number, status, duration, decision == RetryDecision.Retry));
            if (decision == RetryDecision.BudgetDenied)
            {
                observer.OnRetryDenied(new RetryDeniedArguments(_serviceName, method.FullName, token.Number + 1, status));
            }
        }
    }

    /// <summary>Ends the span of an attempt the policy gave up on (a losing hedge, a disposed call).</summary>
    public void Abandon(in AttemptToken token, MethodPolicy method)
    {
        if (token.Activity is { } attempt)
        {
            MeshActivities.StopAttempt(attempt, token.Call, AbandonedStatus, AttemptOutcomes.Abandoned);
        }

        if (token.StartedAt != 0)
        {
            _observer?.OnAttemptFinished(new AttemptFinishedArguments(
                _serviceName, method.FullName, token.Number, AbandonedStatus, _timeProvider.GetElapsedTime(token.StartedAt), false));
        }
    }

    /// <summary>The budget refused a hedge: an event on the call's span, and the observer's <c>OnRetryDenied</c>.</summary>
    public void HedgeDenied(MethodPolicy method, int number, Status lastStatus, in CallTelemetry call)
    {
        AddBudgetEvent(call.Activity, number);
        if (call.StartedAt != 0)
        {
            _observer?.OnRetryDenied(new RetryDeniedArguments(_serviceName, method.FullName, number, lastStatus));
        }
    }

    private static void AddBudgetEvent(Activity? call, int refusedAttempt)
    {
        if (call is { IsAllDataRequested: true })
        {
            call.AddEvent(new ActivityEvent(MeshTraceNames.RetryBudgetExhausted, tags: new ActivityTagsCollection
            {
                [MeshTraceNames.AttemptNumber] = refusedAttempt,
            }));
        }
    }
}
