using System.Diagnostics;
using Mesh.Resilience;

namespace Mesh.Benchmarks.Faults;

/// <summary>Scenario 8: every instance is killed for 10 s, then started again on its port.</summary>
internal sealed class AllDownScenario : FaultScenario
{
    private static readonly TimeSpan Down = TimeSpan.FromSeconds(10);

    public override string Name => "all-down";

    public override string Expectation => "all down for 10 s, then back: calls fail fast, no thread or socket growth, succeed again within the break time";

    public override async Task<ScenarioRow> RunAsync(FaultContext context)
    {
        var row = new ScenarioRow(Name, context.Door);
        var (threadsBefore, socketsBefore) = Resources(context);
        var from = OpenLoopDriver.Now;
        foreach (var instance in context.Instances)
        {
            instance.Kill();
        }

        var down = OpenLoopDriver.Now;
        var (threadsMax, socketsMax) = (threadsBefore, socketsBefore);
        while (FaultContext.Since(down) < Down)
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
            var (threads, sockets) = Resources(context);
            (threadsMax, socketsMax) = (Math.Max(threadsMax, threads), Math.Max(socketsMax, sockets));
        }

        await Task.WhenAll(context.Instances.Select(i => i.RestartAsync()));
        var back = OpenLoopDriver.Now;
        long? succeeded = null;
        while (succeeded is null && FaultContext.Since(back) < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100));
            succeeded = context.Driver.Ended(back, OpenLoopDriver.Now).Where(c => c.Status == Grpc.Core.StatusCode.OK).Select(c => (long?)c.Ended).Min();
        }

        var breakTime = new CircuitBreakerOptions().BreakDuration;
        row.Time("succeed again", FaultContext.Between(back, succeeded));
        row.Expect(FaultContext.Between(back, succeeded) <= breakTime, $"succeed again within the break time ({breakTime.TotalSeconds:0} s)");
        await ExpectNormalAsync(context, row, TimeSpan.FromSeconds(60));
        var calls = await context.Driver.WindowAsync(from, OpenLoopDriver.Now);
        row.SetCalls(calls, context.Driver.Deadline);
        // Fail fast once the client has seen the outage (the first second: calls in flight, retries, the breaker's window).
        var failures = calls.Where(c => c.Sent >= down + Stopwatch.Frequency && c.Sent < back && c.Status != Grpc.Core.StatusCode.OK).ToList();
        var fast = failures.Count(c => IsMeshAnswer(c.Detail));
        var p99 = BlackHoleScenario.Percentile(failures.Select(c => c.Duration), 0.99);
        row.Note($"fast failures {fast}/{failures.Count}, p99 {p99.TotalMilliseconds:0.0} ms");
        if (context.Sidecar is null)
        {
            GC.Collect(); // only the harness's own process can be collected; the sidecar's count is read as it is
            GC.WaitForPendingFinalizers();
        }

        var (_, socketsAfterGc) = Resources(context);
        var others = failures.Where(c => !IsMeshAnswer(c.Detail))
            .GroupBy(c => $"{c.Status} '{Shorten(c.Detail)}'").OrderByDescending(g => g.Count()).Take(2).Select(g => $"{g.Key} x{g.Count()}");
        row.Note($"other failures: {string.Join(", ", others)}");
        row.Note($"threads {threadsBefore}->{threadsMax}, fds {socketsBefore}->{socketsMax} ({socketsAfterGc} {(context.Sidecar is null ? "after a GC" : "after")})");
        row.Expect(failures.Count > 0 && fast >= failures.Count * 0.95, "fail fast with 'circuit open', 'no healthy instances' or 'no reachable instances'");
        row.Expect(p99 < TimeSpan.FromMilliseconds(100), "failures within 100 ms (p99)");
        row.Expect(threadsMax <= threadsBefore + 16 && socketsMax <= socketsBefore + 16, "no thread or socket growth");
        return row;
    }

    // Mesh's own fast answers: the breaker's, discovery's (none listed), the balancer's (all listed refuse connects).
    private static bool IsMeshAnswer(string? detail) => detail is { } d
        && (d.Contains("circuit open", StringComparison.Ordinal) || d.Contains("no healthy instances", StringComparison.Ordinal)
            || d.Contains("no reachable instances", StringComparison.Ordinal));

    private static string Shorten(string? detail) => detail is null ? "" : detail.Length > 60 ? detail[..60] : detail;

    /// <summary>The client's threads and descriptors: this process's, or the caller sidecar's in the sidecar door.</summary>
    private static (int Threads, int Sockets) Resources(FaultContext context)
    {
        var pid = context.Sidecar?.ProcessId ?? Environment.ProcessId;
        using var process = Process.GetProcessById(pid);
        return (process.Threads.Count, Directory.GetFiles($"/proc/{pid}/fd").Length);
    }
}
