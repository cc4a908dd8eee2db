using Grpc.Core;

namespace Mesh.Resilience.Internal;

/// <summary>
/// A hedged unary call (idempotent methods only): send an attempt; while none has answered, send another after the
/// hedging delay, or at once when one fails with a retriable status (after the pushback, if the server sent one).
/// The first success wins and the others are cancelled; a non-retriable failure ends the call; if every attempt
/// fails the last failure is returned. Each extra attempt is withdrawn from the retry budget once the breaker lets it
/// through. Like a retried attempt, a retriable failure that a later attempt settles teaches the breaker nothing.
/// </summary>
internal sealed class HedgingUnaryCall<TRequest, TResponse> : UnaryCallBase<TRequest, TResponse>
    where TRequest : class
    where TResponse : class
{
    private readonly Lock _lock = new();
    private readonly List<Attempt> _inFlight = [];
    private CallTelemetry _telemetry;

    public HedgingUnaryCall(CallPolicyEngine engine, CallInvoker inner, Method<TRequest, TResponse> method, string? host, TRequest request, MethodPolicy policy, in CallScope scope)
        : base(engine, inner, method, host, request, policy, scope)
    {
    }

    protected override async Task<TResponse> RunAsync()
    {
        _telemetry = Engine.BeginCall(Policy);
        var status = Status.DefaultSuccess;
        CancellationTokenSource? timerStop = null;

        // The latest retriable failure the breaker has not heard of: it counts only if the call ends with it.
        Attempt? unreported = null;
        var endedWithUnreported = false;
        try
        {
            if (!TrySend(1, TimeSpan.Zero, Status.DefaultSuccess))
            {
                throw Synthetic(Engine.CircuitOpenStatus);
            }

            var sent = 1;
            var delay = Policy.HedgingDelay;
            var stopHedging = false;
            Task? timer = null;
            Attempt? lastFailed = null;
            while (true)
            {
                if (timer is null && !stopHedging && sent < Policy.HedgingMaxAttempts && delay < Scope.Remaining(Engine.TimeProvider))
                {
                    if (delay > TimeSpan.Zero)
                    {
                        timerStop ??= CancellationTokenSource.CreateLinkedTokenSource(Scope.CancellationToken);
                        timer = Task.Delay(delay, Engine.TimeProvider, timerStop.Token);
                    }
                    else
                    {
                        timer = Task.CompletedTask;
                    }
                }

                var pending = Pending();
                if (pending.Length == 0 && timer is null)
                {
                    break;
                }

                var completed = await Task.WhenAny(timer is null ? pending : [.. pending, timer]).ConfigureAwait(false);
                if (completed == timer)
                {
                    timer = null;
                    stopHedging = Scope.CancellationToken.IsCancellationRequested || IsDisposed
                        || !TrySend(sent + 1, delay, lastFailed?.Status ?? Status.DefaultSuccess);
                    if (!stopHedging)
                    {
                        sent++;
                        delay = Policy.HedgingDelay;
                    }

                    continue;
                }

                var attempt = Take((Task<TResponse>)completed);
                if (completed.IsCompletedSuccessfully)
                {
                    Engine.EndAttempt(attempt.Token, Policy, Scope, Status.DefaultSuccess, null, mayRetry: false, out _);
                    SetFinal(attempt.Call);
                    AbandonOthers();
                    return await attempt.Response.ConfigureAwait(false);
                }

                if (completed.Exception?.GetBaseException() is not RpcException failure)
                {
                    Engine.AbandonAttempt(attempt.Token, Policy);
                    AbandonOthers();
                    return await attempt.Response.ConfigureAwait(false);
                }

                attempt.Status = AttemptStatus(failure);
                attempt.Failure = failure;
                SetFinal(attempt.Call);
                if (!Policy.RetriableStatusCodes.Contains(attempt.Status.StatusCode))
                {
                    // The call ends with this failure: it is what the breaker hears, not the retriable ones before it.
                    Engine.EndAttempt(attempt.Token, Policy, Scope, attempt.Status, failure.Trailers, mayRetry: false, out _);
                    AbandonOthers();
                    ThrowFailure(failure);
                }

                lastFailed = attempt;
                if (Engine.EndRetriableHedge(attempt.Token, Policy, attempt.Status))
                {
                    if (unreported is not null)
                    {
                        Engine.SettleHedge(unreported.Token, endedTheCall: false);
                    }

                    unreported = attempt;
                }

                // A retriable failure sends the next hedge now (gRPC A6), unless the server pushed back.
                switch (Pushback.Read(failure.Trailers, out var pushback))
                {
                    case Pushback.Kind.Stop:
                        // No more hedges: the delay already running must not send one when it ends.
                        stopHedging = true;
                        CancelDelay(ref timer, ref timerStop);
                        break;
                    case Pushback.Kind.Delay:
                        delay = pushback;
                        CancelDelay(ref timer, ref timerStop);
                        break;
                    default:
                        delay = TimeSpan.Zero;
                        CancelDelay(ref timer, ref timerStop);
                        break;
                }
            }

            endedWithUnreported = unreported == lastFailed;
            ThrowFailure(lastFailed!.Failure!);
            return default!; // not reached: ThrowFailure always throws
        }
        catch (Exception ex) when (_telemetry.IsObserved)
        {
            status = StatusOf(ex);
            throw;
        }
        finally
        {
            if (unreported is not null)
            {
                Engine.SettleHedge(unreported.Token, endedWithUnreported);
            }

            if (timerStop is not null)
            {
                await timerStop.CancelAsync().ConfigureAwait(false);
                timerStop.Dispose();
            }

            if (_telemetry.IsObserved)
            {
                Engine.EndCall(_telemetry, Policy, status);
            }

            Scope.Dispose();
        }
    }

    /// <summary>Cancels a hedging delay that no longer decides the next hedge, rather than leaving its timer to fire for nobody.</summary>
    private static void CancelDelay(ref Task? timer, ref CancellationTokenSource? timerStop)
    {
        if (timer is { IsCompleted: false } && timerStop is not null)
        {
            timerStop.Cancel();
            timerStop.Dispose();
            timerStop = null;
        }

        timer = null;
    }

    protected override void DisposeAttempts()
    {
        lock (_lock)
        {
            foreach (var attempt in _inFlight)
            {
                attempt.Call.Dispose();
            }
        }
    }

    /// <summary>Sends an attempt if the breaker (and, for a hedge, the budget) allows it.</summary>
    private bool TrySend(int number, TimeSpan waited, Status lastStatus)
    {
        var admitted = number == 1
            ? Engine.TryBeginAttempt(Policy, number, isHedge: false, waited, _telemetry, out var token)
            : Engine.TryBeginHedge(Policy, number, waited, lastStatus, _telemetry, out token);
        if (!admitted)
        {
            return false;
        }

        AsyncUnaryCall<TResponse> call;
        try
        {
            call = SendAttempt();
        }
        catch
        {
            Engine.AbandonAttempt(token, Policy);
            throw;
        }
        finally
        {
            CallPolicyEngine.AttemptSent(token);
        }

        lock (_lock)
        {
            _inFlight.Add(new Attempt(call, token));
        }

        if (IsDisposed)
        {
            call.Dispose();
        }

        return true;
    }

    private Task<TResponse>[] Pending()
    {
        lock (_lock)
        {
            return [.. _inFlight.Select(a => a.Response)];
        }
    }

    private Attempt Take(Task<TResponse> response)
    {
        lock (_lock)
        {
            var index = _inFlight.FindIndex(a => a.Response == response);
            var attempt = _inFlight[index];
            _inFlight.RemoveAt(index);
            return attempt;
        }
    }

    private void AbandonOthers()
    {
        Attempt[] losers;
        lock (_lock)
        {
            losers = [.. _inFlight];
            _inFlight.Clear();
        }

        foreach (var loser in losers)
        {
            loser.Call.Dispose();
            Engine.AbandonAttempt(loser.Token, Policy);
        }
    }

    private sealed class Attempt(AsyncUnaryCall<TResponse> call, AttemptToken token)
    {
        public AsyncUnaryCall<TResponse> Call { get; } = call;

        public AttemptToken Token { get; } = token;

        public Task<TResponse> Response => Call.ResponseAsync;

        public Status Status { get; set; }

        public RpcException? Failure { get; set; }
    }
}
