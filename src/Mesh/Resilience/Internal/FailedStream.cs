using Grpc.Core;

namespace Mesh.Resilience.Internal;

/// <summary>The request and response streams of a call refused before it was sent (open breaker): every use fails.</summary>
internal sealed class FailedStream<TRequest, TResponse> : IClientStreamWriter<TRequest>, IAsyncStreamReader<TResponse>
{
    private readonly RpcException _failure;

    public FailedStream(RpcException failure) => _failure = failure;

    public TResponse Current => default!;

    public WriteOptions? WriteOptions { get; set; }

    public Task WriteAsync(TRequest message) => Task.FromException(_failure);

    public Task CompleteAsync() => Task.FromException(_failure);

    public Task<bool> MoveNext(CancellationToken cancellationToken) => Task.FromException<bool>(_failure);

    public static AsyncClientStreamingCall<TRequest, TResponse> ClientStreaming(RpcException failure)
    {
        var stream = new FailedStream<TRequest, TResponse>(failure);
        return new AsyncClientStreamingCall<TRequest, TResponse>(
            stream, Task.FromException<TResponse>(failure), Task.FromException<Metadata>(failure), () => failure.Status, () => [], () => { });
    }

    public static AsyncDuplexStreamingCall<TRequest, TResponse> DuplexStreaming(RpcException failure)
    {
        var stream = new FailedStream<TRequest, TResponse>(failure);
        return new AsyncDuplexStreamingCall<TRequest, TResponse>(
            stream, stream, Task.FromException<Metadata>(failure), () => failure.Status, () => [], () => { });
    }
}
