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
    private AsyncUnaryCall<TResponse>? _current;

    public RetryingUnaryCall(CallPolicyEngine engine, CallInvoker inner, Method<TRequest, TResponse> method, string? host, TRequest request, MethodPolicy policy, CallScope scope)
        : base(engine, inner, method, host, request, policy, scope)
    {
    }

    protected override async Task<TResponse> RunAsync()
    {
        // Started here, in the async method, so the call span is current for this call's flow only.
        var telemetry = Engine.BeginCall(Policy);
        var status = Status.DefaultSuccess;
        try
        {
            var waited = TimeSpan.Zero;
            RpcException? lastFailure = null;
            for (var number = 1; ; number++)
            {
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
                await BackoffAsync(waited).ConfigureAwait(false);
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

    protected override void DisposeAttempts() => Volatile.Read(ref _current)?.Dispose();

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

        SetFinal(call);
        Volatile.Write(ref _current, call);
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
