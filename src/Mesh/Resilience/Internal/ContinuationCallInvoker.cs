using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Mesh.Resilience.Internal;

/// <summary>
/// A <see cref="CallInvoker"/> over one interceptor continuation, so the policy engine (written against call
/// invokers) can run inside a client-factory interceptor: each attempt calls the continuation again, which is
/// a new call down the pipeline and a fresh pick.
/// </summary>
internal sealed class ContinuationCallInvoker<TContinuation> : CallInvoker
    where TContinuation : Delegate
{
    private readonly TContinuation _continuation;

    public ContinuationCallInvoker(TContinuation continuation) => _continuation = continuation;

    public override TResponse BlockingUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) =>
        As<Interceptor.BlockingUnaryCallContinuation<TRequest, TResponse>>()(request, new(method, host, options));

    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) =>
        As<Interceptor.AsyncUnaryCallContinuation<TRequest, TResponse>>()(request, new(method, host, options));

    public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) =>
        As<Interceptor.AsyncServerStreamingCallContinuation<TRequest, TResponse>>()(request, new(method, host, options));

    public override AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options) =>
        As<Interceptor.AsyncClientStreamingCallContinuation<TRequest, TResponse>>()(new(method, host, options));

    public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options) =>
        As<Interceptor.AsyncDuplexStreamingCallContinuation<TRequest, TResponse>>()(new(method, host, options));

    // The interceptor creates this invoker for exactly the call shape and types it forwards, so the cast holds.
    private T As<T>() where T : Delegate => (T)(Delegate)_continuation;
}
