using Grpc.Core;

namespace Mesh.Resilience.Internal;

/// <summary>
/// A client-streaming call under the policy: deadline and breaker, never retried (the request stream is gone once
/// written). Its outcome is recorded when the response arrives.
/// </summary>
internal static class TrackedClientStreamingCall
{
    public static AsyncClientStreamingCall<TRequest, TResponse> Start<TRequest, TResponse>(
        CallPolicyEngine engine, CallInvoker inner, Method<TRequest, TResponse> method, string? host, MethodPolicy policy, CallScope scope)
        where TRequest : class
        where TResponse : class
    {
        var telemetry = engine.BeginCall(policy);
        AttemptToken token;
        AsyncClientStreamingCall<TRequest, TResponse> call;
        try
        {
            if (!engine.TryBeginAttempt(policy, 1, isHedge: false, TimeSpan.Zero, telemetry, out token))
            {
                scope.Dispose();
                engine.EndCall(telemetry, policy, engine.CircuitOpenStatus);
                return FailedStream<TRequest, TResponse>.ClientStreaming(engine.CircuitOpenException());
            }

            try
            {
                call = inner.AsyncClientStreamingCall(method, host, scope.Options);
            }
            catch (Exception ex)
            {
                engine.AbandonAttempt(token, policy);
                engine.EndCall(telemetry, policy, new Status(StatusCode.Unknown, ex.Message));
                scope.Dispose();
                throw;
            }
            finally
            {
                CallPolicyEngine.AttemptSent(token);
            }
        }
        finally
        {
            // Start returns synchronously: the caller's span must be current again when it gets the call.
            telemetry.RestoreCurrent();
        }

        return new AsyncClientStreamingCall<TRequest, TResponse>(
            call.RequestStream,
            TrackAsync(engine, policy, scope, token, telemetry, call.ResponseAsync),
            static state => ((AsyncClientStreamingCall<TRequest, TResponse>)state).ResponseHeadersAsync,
            static state => ((AsyncClientStreamingCall<TRequest, TResponse>)state).GetStatus(),
            static state => ((AsyncClientStreamingCall<TRequest, TResponse>)state).GetTrailers(),
            static state => ((AsyncClientStreamingCall<TRequest, TResponse>)state).Dispose(),
            call);
    }

    private static async Task<TResponse> TrackAsync<TResponse>(CallPolicyEngine engine, MethodPolicy policy, CallScope scope, AttemptToken token, CallTelemetry telemetry, Task<TResponse> response)
    {
        var status = Status.DefaultSuccess;
        try
        {
            var result = await response.ConfigureAwait(false);
            engine.EndAttempt(token, policy, scope, Status.DefaultSuccess, null, mayRetry: false, out _);
            return result;
        }
        catch (RpcException ex)
        {
            status = ex.Status;
            engine.EndAttempt(token, policy, scope, ex.Status, ex.Trailers, mayRetry: false, out _);
            throw;
        }
        catch (Exception ex)
        {
            status = new Status(StatusCode.Cancelled, ex.Message);
            engine.AbandonAttempt(token, policy);
            throw;
        }
        finally
        {
            if (telemetry.IsObserved)
            {
                engine.EndCall(telemetry, policy, status);
            }

            scope.Dispose();
        }
    }
}
