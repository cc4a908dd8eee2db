using Grpc.Core;

namespace Mesh.Resilience.Internal;

/// <summary>
/// A duplex call under the policy: deadline and breaker, never retried. Its outcome is recorded at the first response
/// message (or at the end or failure of the response stream before one); after that reads pass straight through,
/// unless the end must be seen (telemetry, or a linked token source to release when the response stream ends).
/// </summary>
internal sealed class TrackedDuplexStreamingCall<TRequest, TResponse> : IAsyncStreamReader<TResponse>
    where TRequest : class
    where TResponse : class
{
    private readonly CallPolicyEngine _engine;
    private readonly MethodPolicy _policy;
    private readonly CallScope _scope;
    private readonly AttemptToken _token;
    private readonly CallTelemetry _telemetry;
    private readonly AsyncDuplexStreamingCall<TRequest, TResponse> _call;
    private readonly bool _watchEnd;
    private int _settled;
    private int _ended;

    private TrackedDuplexStreamingCall(CallPolicyEngine engine, MethodPolicy policy, CallScope scope, AttemptToken token, CallTelemetry telemetry, AsyncDuplexStreamingCall<TRequest, TResponse> call)
    {
        _engine = engine;
        _policy = policy;
        _scope = scope;
        _token = token;
        _telemetry = telemetry;
        _call = call;
        _watchEnd = telemetry.IsObserved || scope.OwnsTokenSource;
    }

    public TResponse Current => _call.ResponseStream.Current;

    public static AsyncDuplexStreamingCall<TRequest, TResponse> Start(
        CallPolicyEngine engine, CallInvoker inner, Method<TRequest, TResponse> method, string? host, MethodPolicy policy, CallScope scope)
    {
        if (SingleAttemptStart.TrySend(
                engine, policy, scope, (inner, method, host),
                static (state, options) => state.inner.AsyncDuplexStreamingCall(state.method, state.host, options),
                out var token, out var telemetry) is not { } call)
        {
            return FailedStream<TRequest, TResponse>.DuplexStreaming(engine.CircuitOpenException());
        }

        var tracked = new TrackedDuplexStreamingCall<TRequest, TResponse>(engine, policy, scope, token, telemetry, call);
        return new AsyncDuplexStreamingCall<TRequest, TResponse>(
            call.RequestStream,
            tracked,
            static state => ((TrackedDuplexStreamingCall<TRequest, TResponse>)state)._call.ResponseHeadersAsync,
            static state => ((TrackedDuplexStreamingCall<TRequest, TResponse>)state)._call.GetStatus(),
            static state => ((TrackedDuplexStreamingCall<TRequest, TResponse>)state)._call.GetTrailers(),
            static state => ((TrackedDuplexStreamingCall<TRequest, TResponse>)state).Dispose(),
            tracked);
    }

    public Task<bool> MoveNext(CancellationToken cancellationToken) =>
        Volatile.Read(ref _settled) != 0 && !_watchEnd ? _call.ResponseStream.MoveNext(cancellationToken) : ObservedMoveNextAsync(cancellationToken);

    private async Task<bool> ObservedMoveNextAsync(CancellationToken cancellationToken)
    {
        try
        {
            var hasMessage = await _call.ResponseStream.MoveNext(cancellationToken).ConfigureAwait(false);
            Settle(Status.DefaultSuccess, null);
            if (!hasMessage)
            {
                End(_call.GetStatus());
            }

            return hasMessage;
        }
        catch (RpcException ex)
        {
            Settle(ex.Status, ex.Trailers);
            End(ex.Status);
            throw;
        }
    }

    /// <summary>
    /// Ends the call once: at the response stream's end (the status has arrived), its failure, or disposal. Its
    /// telemetry ends, and its scope lets go of the caller's token then, disposed or not.
    /// </summary>
    private void End(Status status)
    {
        if (Interlocked.Exchange(ref _ended, 1) != 0)
        {
            return;
        }

        if (_telemetry.IsObserved)
        {
            _engine.EndCall(_telemetry, _policy, status);
        }

        _scope.Dispose();
    }

    private void Settle(Status status, Metadata? trailers)
    {
        if (Interlocked.Exchange(ref _settled, 1) == 0)
        {
            _engine.EndAttempt(_token, _policy, _scope, status, trailers, mayRetry: false, out _);
        }
    }

    private void Dispose()
    {
        _call.Dispose();
        if (Interlocked.Exchange(ref _settled, 1) == 0)
        {
            _engine.AbandonAttempt(_token, _policy);
        }

        End(new Status(StatusCode.Cancelled, "gRPC call disposed."));
    }
}
