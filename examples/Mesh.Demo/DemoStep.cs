using System.Diagnostics;
using Mesh.Discovery;

namespace Mesh.Demo;

/// <summary>
/// Performs one demo action and waits until its effect is seen through discovery and then by the caller's channel,
/// timing both. The tally printed after a step holds the calls made until the channel had the change.
/// </summary>
internal sealed class DemoStep(IServiceWatch watch, ChannelView channel, CallLoop calls)
{
    public async Task<T> RunAsync<T>(string title, Func<T> action, Func<int, bool> expectedCount)
    {
        calls.Report();
        Console.WriteLine($"> {title}");
        var started = Stopwatch.GetTimestamp();
        var result = action();
        await WaitAsync(title, expectedCount, started);
        return result;
    }

    public Task RunAsync(string title, Action action, Func<int, bool> expectedCount) =>
        RunAsync(title, () => { action(); return 0; }, expectedCount);

    /// <summary>Lets the calls run for a while, so the tally shows how they spread over the live instances.</summary>
    public async Task ObserveAsync(TimeSpan duration)
    {
        calls.Report();
        Console.WriteLine($"> let calls run for {duration.TotalSeconds:0} s");
        await Task.Delay(duration);
    }

    /// <summary>Waits until the channel holds no connection: the last instance is gone and nothing reconnects to it.</summary>
    public async Task WaitForNoConnectionAsync()
    {
        using var timeout = new CancellationTokenSource(DemoSettings.StepTimeout);
        try
        {
            await channel.WaitAsync(b => b.Ready.IsEmpty && b.ConnectionCount == 0, timeout.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"The channel still held a connection {DemoSettings.StepTimeout.TotalSeconds:0} s after the last instance stopped.");
        }

        Console.WriteLine("  the channel holds no connection: nothing reconnects to the instances that left");
    }

    /// <summary>Prints the live endpoint set.</summary>
    public static void Print(IReadOnlyCollection<ServiceEndpoint> endpoints) =>
        Console.WriteLine($"  {DemoSettings.ServiceName}: {(endpoints.Count == 0 ? "(no instances)" : string.Join(", ", endpoints.Select(e => $"{e.Tags.FirstOrDefault()}@{e.Authority}")))}");

    private async Task WaitAsync(string title, Func<int, bool> expectedCount, long started)
    {
        using var timeout = new CancellationTokenSource(DemoSettings.StepTimeout);
        var snapshot = watch.Current;
        try
        {
            while (!(snapshot.HasResolved && expectedCount(snapshot.Endpoints.Length)))
            {
                snapshot = await watch.WaitForChangeAsync(snapshot.Version, timeout.Token);
            }

            var seen = Stopwatch.GetElapsedTime(started);
            // The channel's resolver hears of the snapshot one hop later and then connects: wait until it calls exactly
            // the instances discovery lists, so no call made before that is counted under the next step.
            var ids = snapshot.Endpoints.Select(e => e.Id).ToHashSet(StringComparer.Ordinal);
            await channel.WaitAsync(b => b.Ready.Length == ids.Count && b.Ready.All(e => ids.Contains(e.Id)), timeout.Token);
            Console.WriteLine($"  seen through discovery {seen.TotalMilliseconds:0} ms after the action, by the channel {Stopwatch.GetElapsedTime(started).TotalMilliseconds:0} ms");
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"'{title}' was not seen through discovery and by the channel within {DemoSettings.StepTimeout.TotalSeconds:0} s.");
        }

        Print(snapshot.Endpoints);
    }
}
