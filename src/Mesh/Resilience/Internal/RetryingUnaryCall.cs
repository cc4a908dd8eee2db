using Grpc.Core;

namespace Mesh.Resilience.Internal;

/// <summary>
/// A unary call retried under the policy: attempt, and on a retriable failure back off (full jitter or pushback),
/// within the deadline and the budget, then attempt again on a fresh pick. The last failure is what the caller sees.
/// </summary>
internal sealed class RetryingUnaryCall<TRequest, TResponse> : UnaryCallBase<TRequest, TResponse>
    where TRequest : class
    where TResponse : class
{
    public RetryingUnaryCall(CallPolicyEngine engine, CallInvoker inner, Method<TRequest, TResponse> method, string? host, TRequest request, MethodPolicy policy, in CallScope scope)
        : base(engine, inner, method, host, request, policy, scope)
    {
    }

    protected override Task<TResponse> RunAsync() =>
        Engine.ObservesCalls ? RunAttemptsAsync(observe: true, number: 1, TimeSpan.Zero, lastFailure: null) : RunFirstAttemptAsync();

    protected override void DisposeAttempts() => Final?.Dispose();

    /// <summary>
    /// The common case, a call nobody traces or measures: its first attempt in a state machine that keeps only what
    /// it needs across the await (the breaker permit and the attempt), since every call pays for it; a retry goes on
    /// in <see cref="RunAttemptsAsync"/>. Its token, needed only for a failure, is rebuilt rather than kept: an
    /// unobserved attempt's token is just its number and permit.
    /// </summary>
    private async Task<TResponse> RunFirstAttemptAsync()
    {
        AsyncUnaryCall<TResponse> call;
        BreakerPermit permit;
        try
        {
            if (!Engine.TryBeginUnobservedAttempt(out permit))
            {
                throw Synthetic(Engine.CircuitOpenStatus);
            }

            call = SendFirst(permit);
        }
        catch
        {
            Scope.Dispose();
            throw;
        }

        TimeSpan waited;
        RpcException failure;
        try
        {
            var response = await call.ResponseAsync.ConfigureAwait(false);
            Engine.EndUnobservedSuccess(permit);
            Scope.Dispose();
            return response;
        }
        catch (RpcException ex)
        {
            if (Engine.EndAttempt(new AttemptToken(1, isHedge: false, permit, 0), Policy, Scope, AttemptStatus(ex), ex.Trailers, !IsDisposed, out waited) != RetryDecision.Retry)
            {
                Scope.Dispose();
                ThrowFailure(ex);
            }

            failure = ex;
        }
        catch
        {
            Engine.AbandonAttempt(new AttemptToken(1, isHedge: false, permit, 0), Policy);
            Scope.Dispose();
            throw;
        }

        call.Dispose();
        return await RunAttemptsAsync(observe: false, number: 2, waited, failure).ConfigureAwait(false);
    }

    /// <summary>Attempts from <paramref name="number"/> on, each after the backoff the previous failure earned.</summary>
    private async Task<TResponse> RunAttemptsAsync(bool observe, int number, TimeSpan waited, RpcException? lastFailure)
    {
        // Started here, in the async method, so the call span is current for this call's flow only.
        var telemetry = observe ? Engine.BeginCall(Policy) : default;
        var status = Status.DefaultSuccess;
        try
        {
            for (; ; number++)
            {
                if (lastFailure is not null)
                {
                    await BackoffAsync(waited).ConfigureAwait(false);
                }

                if (!Engine.TryBeginAttempt(Policy, number, isHedge: false, waited, telemetry, out var token))
                {
                    // Refused before anything was sent: circuit open. A refused retry (the breaker opened during the
                    // backoff) ends the call with what the service last answered, as a budget denial does.
                    if (lastFailure is null)
                    {
                        throw Synthetic(Engine.CircuitOpenStatus);
                    }

                    ThrowFailure(lastFailure);
                }

                var call = Send(token);
                try
                {
                    var response = await call.ResponseAsync.ConfigureAwait(false);
                    Engine.EndAttempt(token, Policy, Scope, Status.DefaultSuccess, null, mayRetry: false, out _);
                    return response;
                }
                catch (RpcException ex)
                {
                    if (Engine.EndAttempt(token, Policy, Scope, AttemptStatus(ex), ex.Trailers, !IsDisposed, out waited) != RetryDecision.Retry)
                    {
                        ThrowFailure(ex);
                    }

                    lastFailure = ex;
                }
                catch
                {
                    Engine.AbandonAttempt(token, Policy);
                    throw;
                }

                call.Dispose();
            }
        }
        catch (Exception ex) when (telemetry.IsObserved)
        {
            status = StatusOf(ex);
            throw;
        }
        finally
        {
            if (telemetry.IsObserved)
            {
                Engine.EndCall(telemetry, Policy, status);
            }

            Scope.Dispose();
        }
    }

    /// <summary><see cref="Send"/> for an unobserved first attempt: no span to leave.</summary>
    private AsyncUnaryCall<TResponse> SendFirst(BreakerPermit permit)
    {
        AsyncUnaryCall<TResponse> call;
        try
        {
            call = SendAttempt();
        }
        catch
        {
            Engine.AbandonAttempt(new AttemptToken(1, isHedge: false, permit, 0), Policy);
            throw;
        }

        return Sent(call);
    }

    private AsyncUnaryCall<TResponse> Send(in AttemptToken token)
    {
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

        return Sent(call);
    }

    private AsyncUnaryCall<TResponse> Sent(AsyncUnaryCall<TResponse> call)
    {
        SetFinal(call);
        if (IsDisposed)
        {
            // Disposed while this attempt was being sent: cancel it like the one before.
            call.Dispose();
        }

        return call;
    }

    private async Task BackoffAsync(TimeSpan delay)
    {
        try
        {
            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, Engine.TimeProvider, Scope.CancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            throw Cancelled();
        }

        if (IsDisposed || Scope.CancellationToken.IsCancellationRequested)
        {
            throw Cancelled();
        }
    }
}
