using System.Collections.Concurrent;
using System.Threading.Channels;
using Grpc.Core;
using Mesh.Resilience;

namespace Mesh.Sidecar.Tests.TestSupport;

/// <summary>Hears the <c>orders</c> calls and attempts of a sidecar's call policy: how each ended, as its metrics and spans report it.</summary>
internal sealed class PolicyRecorder : ICallPolicyObserver
{
    private readonly Channel<Status> _calls = Channel.CreateUnbounded<Status>();

    /// <summary>Gets how each attempt ended, in order.</summary>
    public ConcurrentQueue<Status> Attempts { get; } = new();

    public void OnAttemptFinished(in AttemptFinishedArguments arguments)
    {
        if (arguments.ServiceName == "orders")
        {
            Attempts.Enqueue(arguments.Status);
        }
    }

    public void OnCallFinished(in CallFinishedArguments arguments)
    {
        if (arguments.ServiceName == "orders")
        {
            _calls.Writer.TryWrite(arguments.Status);
        }
    }

    /// <summary>Waits (bounded) for the next call to end and returns the status it ended with.</summary>
    public async Task<Status> NextCallAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return await _calls.Reader.ReadAsync(timeout.Token);
    }
}
