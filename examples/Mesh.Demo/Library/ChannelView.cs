using Mesh.Balancing;

namespace Mesh.Demo;

/// <summary>
/// What the caller's channel to <c>greeter</c> can call, read from Mesh's <see cref="BalancingMonitor"/>: the demo
/// reports a change only once the channel has it, not merely discovery (the channel hears of it one hop later).
/// </summary>
internal sealed class ChannelView(BalancingMonitor monitor) : ICallerView
{
    public string Name => "the channel";

    public Task WaitForInstancesAsync(IReadOnlySet<string> ids, CancellationToken cancellationToken) =>
        WaitAsync(b => b.Ready.Length == ids.Count && b.Ready.All(e => ids.Contains(e.Id)), cancellationToken);

    /// <summary>Waits until the channel holds no connection: the last instance is gone and nothing reconnects to it.</summary>
    public async Task WaitForNoConnectionAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(DemoSettings.StepTimeout);
        try
        {
            await WaitAsync(b => b.Ready.IsEmpty && b.ConnectionCount == 0, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"The channel still held a connection {DemoSettings.StepTimeout.TotalSeconds:0} s after the last instance stopped.");
        }

        Console.WriteLine("  the channel holds no connection: nothing reconnects to the instances that left");
    }

    /// <summary>Waits until every balancer of the service (the demo has one channel) satisfies <paramref name="done"/>.</summary>
    private async Task WaitAsync(Func<BalancerSnapshot, bool> done, CancellationToken cancellationToken)
    {
        var matched = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Check()
        {
            var balancers = monitor.GetSnapshot().Where(b => b.ServiceName == DemoSettings.ServiceName).ToList();
            if (balancers.Count > 0 && balancers.All(done))
            {
                matched.TrySetResult();
            }
        }

        // Raised on gRPC's thread while it updates the channel: only look, and let the waiter continue elsewhere.
        void OnChanged(object? sender, BalancerChangedEventArgs e) => Check();
        monitor.BalancerChanged += OnChanged;
        try
        {
            Check();
            await matched.Task.WaitAsync(cancellationToken);
        }
        finally
        {
            monitor.BalancerChanged -= OnChanged;
        }
    }
}
