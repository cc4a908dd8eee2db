namespace Mesh.Benchmarks.Faults;

/// <summary>Scenario 5: one instance accepts connections and never answers (SIGSTOP: the kernel still accepts).</summary>
internal sealed class BlackHoleScenario : FaultScenario
{
    public override string Name => "black-hole";

    public override string Expectation => "one instance never answers: callers bounded by their deadline, it is ejected, p99 of the rest within 2x the baseline";

    public override async Task<ScenarioRow> RunAsync(FaultContext context)
    {
        var row = new ScenarioRow(Name, context.Door);
        var victim = context.Instances[2];
        var from = OpenLoopDriver.Now;
        var baseline = Percentile(context.Driver.Ended(from - (3 * System.Diagnostics.Stopwatch.Frequency), from)
            .Where(c => c.Status == Grpc.Core.StatusCode.OK).Select(c => c.Duration), 0.99);
        var ejected = context.WaitForEjectionAsync(victim, TimeSpan.FromSeconds(20));
        victim.Freeze();
        var frozen = OpenLoopDriver.Now;
        var ejectedAt = await ejected;
        await Task.Delay(TimeSpan.FromSeconds(5));
        var thawed = OpenLoopDriver.Now;
        victim.Thaw();
        row.Time("ejected", FaultContext.Between(frozen, ejectedAt));
        row.Expect(ejectedAt is not null, "it is ejected");
        await ExpectNormalAsync(context, row, TimeSpan.FromSeconds(60));
        var calls = await context.Driver.WindowAsync(from, OpenLoopDriver.Now);
        row.SetCalls(calls, context.Driver.Deadline);
        var during = calls.Where(c => c.Sent >= frozen && c.Sent < thawed).ToList();
        var longest = during.Count == 0 ? TimeSpan.Zero : during.Max(c => c.Duration);
        var rest = Percentile(during.Where(c => c.Status == Grpc.Core.StatusCode.OK).Select(c => c.Duration), 0.99);
        row.Note($"longest call {longest.TotalMilliseconds:0} ms");
        row.Note($"p99 of the rest {rest.TotalMilliseconds:0.0} ms (baseline {baseline.TotalMilliseconds:0.0} ms)");
        row.Expect(longest <= context.Driver.Deadline + TimeSpan.FromMilliseconds(250), "callers bounded by their deadline");
        row.Expect(rest <= 2 * baseline, "p99 of the rest within 2x the baseline");
        row.Expect(row.Lost == 0, "0 lost");
        return row;
    }

    public static TimeSpan Percentile(IEnumerable<TimeSpan> values, double q)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? TimeSpan.Zero : sorted[Math.Min(sorted.Count - 1, (int)(q * sorted.Count))];
    }
}
