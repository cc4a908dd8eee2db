using System.Collections.Concurrent;
using Grpc.Core;

namespace Mesh.Tests.Resilience;

/// <summary>
/// A test double of a channel's invoker: each call takes the next <see cref="ScriptedAttempt"/> (or the default one)
/// and records what it was sent with, so tests count attempts and read their deadlines.
/// </summary>
internal sealed class ScriptedCallInvoker : CallInvoker
{
    private readonly ConcurrentQueue<ScriptedAttempt> _script = new();
    private readonly Lock _lock = new();
    private readonly List<SentAttempt> _sent = [];
    private readonly SemaphoreSlim _sentSignal = new(0);

    public ScriptedCallInvoker(params ScriptedAttempt[] script)
    {
        foreach (var attempt in script)
        {
            _script.Enqueue(attempt);
        }
    }

    /// <summary>Gets or sets what attempts do once the script is used up.</summary>
    public Func<ScriptedAttempt> Default { get; set; } = () => ScriptedAttempt.Ok();

    /// <summary>Gets or sets what runs as each attempt is sent, inside the policy's send (after it is recorded).</summary>
    public Action<SentAttempt>? OnSent { get; set; }

    public IReadOnlyList<SentAttempt> Sent
    {
        get
        {
            lock (_lock)
            {
                return [.. _sent];
            }
        }
    }

    public void Enqueue(ScriptedAttempt attempt) => _script.Enqueue(attempt);

    /// <summary>Waits (bounded) until at least <paramref name="count"/> attempts were sent.</summary>
    public async Task WaitForAttemptsAsync(int count)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (Sent.Count < count)
        {
            await _sentSignal.WaitAsync(timeout.Token);
        }
    }

    public override TResponse BlockingUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) =>
        AsyncUnaryCall(method, host, options, request).ResponseAsync.GetAwaiter().GetResult();

    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
    {
        var sent = Next(options);
        var response = Cast<TResponse>(sent.Script.Response);
        return new AsyncUnaryCall<TResponse>(response, Headers(sent), () => sent.Script.Status, () => sent.Script.Trailers, sent.Dispose);
    }

    public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
    {
        var sent = Next(options);
        return new AsyncServerStreamingCall<TResponse>(new ScriptedReader<TResponse>(sent), Headers(sent), () => sent.Script.Status, () => sent.Script.Trailers, sent.Dispose);
    }

    public override AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options)
    {
        var sent = Next(options);
        return new AsyncClientStreamingCall<TRequest, TResponse>(
            new NullWriter<TRequest>(), Cast<TResponse>(sent.Script.Response), Headers(sent), () => sent.Script.Status, () => sent.Script.Trailers, sent.Dispose);
    }

    public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options)
    {
        var sent = Next(options);
        return new AsyncDuplexStreamingCall<TRequest, TResponse>(
            new NullWriter<TRequest>(), new ScriptedReader<TResponse>(sent), Headers(sent), () => sent.Script.Status, () => sent.Script.Trailers, sent.Dispose);
    }

    private SentAttempt Next(CallOptions options)
    {
        var script = _script.TryDequeue(out var next) ? next : Default();
        var sent = new SentAttempt(script, options);
        lock (_lock)
        {
            _sent.Add(sent);
        }

        script.Begin();
        options.CancellationToken.Register(() => script.CompleteWith(StatusCode.Cancelled));
        _sentSignal.Release();
        OnSent?.Invoke(sent);
        return sent;
    }

    private static Task<Metadata> Headers(SentAttempt sent) => sent.Script.Headers;

    private static async Task<T> Cast<T>(Task<string> response) => (T)(object)await response;

    internal sealed class SentAttempt(ScriptedAttempt script, CallOptions options)
    {
        public ScriptedAttempt Script { get; } = script;

        public CallOptions Options { get; } = options;

        public bool Disposed { get; private set; }

        public void Dispose()
        {
            Disposed = true;
            Script.CompleteWith(StatusCode.Cancelled);
        }
    }

    private sealed class ScriptedReader<T>(SentAttempt sent) : IAsyncStreamReader<T>
    {
        // A wrapper that keeps reading a stream that already failed would spin forever: fail loudly instead.
        private const int MaxReadsAfterFailure = 100;
        private int _next;
        private int _readsAfterFailure;

        public T Current { get; private set; } = default!;

        public async Task<bool> MoveNext(CancellationToken cancellationToken)
        {
            var script = sent.Script;
            if (script.IsPending)
            {
                // Its end (a message, or the failure read below) is whatever the test completed it with.
                await ((Task)script.Response).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }

            if (_next < script.Messages.Count)
            {
                Current = (T)(object)script.Messages[_next++];
                return true;
            }

            if (script.Status.StatusCode != StatusCode.OK)
            {
                if (++_readsAfterFailure > MaxReadsAfterFailure)
                {
                    throw new InvalidOperationException($"The stream was read {MaxReadsAfterFailure} more times after it failed: the call loops.");
                }

                throw new RpcException(script.Status, script.Trailers);
            }

            return false;
        }
    }

    private sealed class NullWriter<T> : IClientStreamWriter<T>
    {
        public WriteOptions? WriteOptions { get; set; }

        public Task WriteAsync(T message) => Task.CompletedTask;

        public Task CompleteAsync() => Task.CompletedTask;
    }
}
