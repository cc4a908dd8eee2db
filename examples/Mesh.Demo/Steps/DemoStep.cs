using System.Diagnostics;
using Mesh.Discovery;

namespace Mesh.Demo;

/// <summary>
/// Performs one demo action and waits until its effect is seen through discovery and then by the caller (its channel
/// or its sidecar), timing both. The tally printed after a step holds the calls made until the caller had the change.
/// </summary>
internal sealed class DemoStep(IServiceWatch watch, ICallerView caller, CallLoop calls, CancellationToken stopping)
{
    /// <summary>Runs <paramref name="action"/>; then waits for discovery, and for the caller too when <paramref name="callerSees"/>.</summary>
    public async Task<T> RunAsync<T>(string title, Func<Task<T>> action, Func<int, bool> expectedCount, bool callerSees)
    {
        await calls.ReportAsync();
        Console.WriteLine($"> {title}");
        var started = Stopwatch.GetTimestamp();
        var result = await action();
        await WaitAsync(title, expectedCount, started, callerSees);
        return result;
    }

    public Task<T> RunAsync<T>(string title, Func<T> action, Func<int, bool> expectedCount) =>
        RunAsync(title, () => Task.FromResult(action()), expectedCount, callerSees: true);

    public Task RunAsync(string title, Action action, Func<int, bool> expectedCount) =>
        RunAsync(title, () => { action(); return 0; }, expectedCount);

    /// <summary>Lets the calls run for a while, so the tally shows how they spread over the live instances.</summary>
    public async Task ObserveAsync(TimeSpan duration)
    {
        await calls.ReportAsync();
        Console.WriteLine($"> let calls run for {duration.TotalSeconds:0} s");
        await Task.Delay(duration, stopping);
    }

    /// <summary>Prints the live endpoint set.</summary>
    public static void Print(string service, IReadOnlyCollection<ServiceEndpoint> endpoints) =>
        Console.WriteLine($"  {service}: {(endpoints.Count == 0 ? "(no instances)" : string.Join(", ", endpoints.OrderBy(e => e.Tags.FirstOrDefault(), StringComparer.Ordinal).Select(e => $"{e.Tags.FirstOrDefault()}@{e.Authority}")))}");

    private async Task WaitAsync(string title, Func<int, bool> expectedCount, long started, bool callerSees)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        timeout.CancelAfter(DemoSettings.StepTimeout);
        var snapshot = watch.Current;
        try
        {
            while (!(snapshot.HasResolved && expectedCount(snapshot.Endpoints.Length)))
            {
                snapshot = await watch.WaitForChangeAsync(snapshot.Version, timeout.Token);
            }

            var seen = Stopwatch.GetElapsedTime(started);
            var report = $"  seen through discovery {seen.TotalMilliseconds:0} ms after the action";
            if (callerSees)
            {
                // The caller hears of the snapshot one hop later and then connects: wait until it calls exactly the
                // instances discovery lists, so no call made before that is counted under the next step.
                await caller.WaitForInstancesAsync(snapshot.Endpoints.Select(e => e.Id).ToHashSet(StringComparer.Ordinal), timeout.Token);
                report += $", by {caller.Name} {Stopwatch.GetElapsedTime(started).TotalMilliseconds:0} ms";
            }

            Console.WriteLine(report);
        }
        catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
        {
            throw new TimeoutException($"'{title}' was not seen through discovery{(callerSees ? $" and by {caller.Name}" : "")} within {DemoSettings.StepTimeout.TotalSeconds:0} s.");
        }

        Print(watch.Query.ServiceName, snapshot.Endpoints);
    }
}
