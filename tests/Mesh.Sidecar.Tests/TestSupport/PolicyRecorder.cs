using System.Collections.Concurrent;
using System.Threading.Channels;
using Grpc.Core;
using Mesh.Resilience;

namespace Mesh.Sidecar.Tests.TestSupport;

/// <summary>Hears the <c>orders</c> calls and attempts of a sidecar's call policy: how each ended, as its metrics and spans report it.</summary>
internal sealed class PolicyRecorder : ICallPolicyObserver
{
    private readonly Channel<Status> _calls = Channel.CreateUnbounded<Status>();
    private readonly Channel<CircuitState> _circuit = Channel.CreateUnbounded<CircuitState>();

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

    public void OnCircuitStateChanged(in CircuitStateChangedArguments arguments)
    {
        if (arguments.ServiceName == "orders")
        {
            _circuit.Writer.TryWrite(arguments.State);
        }
    }

    /// <summary>Waits (bounded) until the breaker of <c>orders</c> goes to <paramref name="state"/>.</summary>
    public async Task WaitForCircuitAsync(CircuitState state)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (await _circuit.Reader.ReadAsync(timeout.Token) != state)
        {
        }
    }

    /// <summary>Waits (bounded) for the next call to end and returns the status it ended with.</summary>
    public async Task<Status> NextCallAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return await _calls.Reader.ReadAsync(timeout.Token);
    }
}
