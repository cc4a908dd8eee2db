using Grpc.Core;

namespace Mesh.Benchmarks.Resilience;

/// <summary>An invoker whose unary calls have already succeeded: what is left to measure is the wrapper's own cost.</summary>
internal sealed class CompletedCallInvoker : UnaryOnlyCallInvoker
{
    private static readonly Task<Metadata> Headers = Task.FromResult(new Metadata());
    private static readonly Metadata Trailers = [];
    private readonly Task<string> _response = Task.FromResult("response");

    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) =>
        new((Task<TResponse>)(object)_response, static _ => Headers, static _ => Status.DefaultSuccess, static _ => Trailers, static _ => { }, this);
}
