using System.Diagnostics;
using Mesh.Discovery;

namespace Mesh.Demo;

/// <summary>Performs one demo action and waits until discovery shows its effect, timing the propagation.</summary>
internal sealed class DemoStep(IServiceWatch watch, CallLoop calls)
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

    public async Task RunAsync(string title, Func<Task> action, Func<int, bool> expectedCount)
    {
        calls.Report();
        Console.WriteLine($"> {title}");
        var started = Stopwatch.GetTimestamp();
        await action();
        await WaitAsync(title, expectedCount, started);
    }

    /// <summary>Lets the calls run for a while, so the tally shows how they spread over the live instances.</summary>
    public async Task ObserveAsync(TimeSpan duration)
    {
        calls.Report();
        Console.WriteLine($"> let calls run for {duration.TotalSeconds:0} s");
        await Task.Delay(duration);
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
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"'{title}' was not seen through discovery within {DemoSettings.StepTimeout.TotalSeconds:0} s.");
        }

        Console.WriteLine($"  seen through discovery {Stopwatch.GetElapsedTime(started).TotalMilliseconds:0} ms after the action");
        Print(snapshot.Endpoints);
    }
}
