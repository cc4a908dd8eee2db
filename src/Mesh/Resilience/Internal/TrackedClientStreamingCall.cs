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
        if (SingleAttemptStart.TrySend(
                engine, policy, scope, (inner, method, host),
                static (state, options) => state.inner.AsyncClientStreamingCall(state.method, state.host, options),
                out var token, out var telemetry) is not { } call)
        {
            return FailedStream<TRequest, TResponse>.ClientStreaming(engine.CircuitOpenException());
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
