using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Mesh.Resilience.Internal;

/// <summary>Applies a service's call policy inside a Grpc.Net.ClientFactory pipeline (<c>AddGrpcClient&lt;T&gt;().AddMesh(...)</c>).</summary>
internal sealed class CallPolicyInterceptor : Interceptor
{
    private readonly ServiceCallPolicy _policy;
    private readonly ICallContextSource? _callContext;

    public CallPolicyInterceptor(ServiceCallPolicy policy, ICallContextSource? callContext)
    {
        _policy = policy;
        _callContext = callContext;
    }

    public override TResponse BlockingUnaryCall<TRequest, TResponse>(TRequest request, ClientInterceptorContext<TRequest, TResponse> context, BlockingUnaryCallContinuation<TRequest, TResponse> continuation) =>
        Invoker(continuation).BlockingUnaryCall(context.Method, context.Host, context.Options, request);

    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncUnaryCallContinuation<TRequest, TResponse> continuation) =>
        Invoker(continuation).AsyncUnaryCall(context.Method, context.Host, context.Options, request);

    public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncServerStreamingCallContinuation<TRequest, TResponse> continuation) =>
        Invoker(continuation).AsyncServerStreamingCall(context.Method, context.Host, context.Options, request);

    public override AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(ClientInterceptorContext<TRequest, TResponse> context, AsyncClientStreamingCallContinuation<TRequest, TResponse> continuation) =>
        Invoker(continuation).AsyncClientStreamingCall(context.Method, context.Host, context.Options);

    public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(ClientInterceptorContext<TRequest, TResponse> context, AsyncDuplexStreamingCallContinuation<TRequest, TResponse> continuation) =>
        Invoker(continuation).AsyncDuplexStreamingCall(context.Method, context.Host, context.Options);

    private MeshCallInvoker Invoker<TContinuation>(TContinuation continuation) where TContinuation : Delegate =>
        new(new ContinuationCallInvoker<TContinuation>(continuation), _policy, _callContext);
}
