using Grpc.Core;

namespace Mesh.Benchmarks.Resilience;

/// <summary>
/// An invoker whose unary calls answer only when <see cref="Answer"/> is called: the wrapper awaits a task that is
/// not yet complete, as it does on a real channel, so its async path (state machine box, continuation) is measured.
/// </summary>
internal sealed class PendingCallInvoker : UnaryOnlyCallInvoker
{
    private static readonly Task<Metadata> Headers = Task.FromResult(new Metadata());
    private static readonly Metadata Trailers = [];
    private TaskCompletionSource<string>? _pending;

    /// <summary>Answers the call sent last, running its continuations on this thread.</summary>
    public void Answer() => _pending!.SetResult("response");

    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
    {
        _pending = new TaskCompletionSource<string>();
        return new((Task<TResponse>)(object)_pending.Task, static _ => Headers, static _ => Status.DefaultSuccess, static _ => Trailers, static _ => { }, this);
    }
}
