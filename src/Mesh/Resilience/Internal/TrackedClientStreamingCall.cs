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
        if (!engine.TryBeginAttempt(policy, 1, isHedge: false, TimeSpan.Zero, out var token))
        {
            scope.Dispose();
            return FailedStream<TRequest, TResponse>.ClientStreaming(engine.CircuitOpenException());
        }

        AsyncClientStreamingCall<TRequest, TResponse> call;
        try
        {
            call = inner.AsyncClientStreamingCall(method, host, scope.Options);
        }
        catch
        {
            engine.AbandonAttempt(token, policy);
            scope.Dispose();
            throw;
        }

        return new AsyncClientStreamingCall<TRequest, TResponse>(
            call.RequestStream,
            TrackAsync(engine, policy, scope, token, call.ResponseAsync),
            static state => ((AsyncClientStreamingCall<TRequest, TResponse>)state).ResponseHeadersAsync,
            static state => ((AsyncClientStreamingCall<TRequest, TResponse>)state).GetStatus(),
            static state => ((AsyncClientStreamingCall<TRequest, TResponse>)state).GetTrailers(),
            static state => ((AsyncClientStreamingCall<TRequest, TResponse>)state).Dispose(),
            call);
    }

    private static async Task<TResponse> TrackAsync<TResponse>(CallPolicyEngine engine, MethodPolicy policy, CallScope scope, AttemptToken token, Task<TResponse> response)
    {
        try
        {
            var result = await response.ConfigureAwait(false);
            engine.EndAttempt(token, policy, scope, Status.DefaultSuccess, null, mayRetry: false, out _);
            return result;
        }
        catch (RpcException ex)
        {
            engine.EndAttempt(token, policy, scope, ex.Status, ex.Trailers, mayRetry: false, out _);
            throw;
        }
        catch
        {
            engine.AbandonAttempt(token, policy);
            throw;
        }
        finally
        {
            scope.Dispose();
        }
    }
}
