namespace Mesh.Benchmarks.Faults;

/// <summary>Scenario 1: kill -9 one of three instances.</summary>
internal sealed class KillScenario : FaultScenario
{
    public override string Name => "kill";

    public override string Expectation => "kill -9 one of three: 0 failed calls; time to ejection; time until discovery drops it";

    public override async Task<ScenarioRow> RunAsync(FaultContext context)
    {
        var row = new ScenarioRow(Name, context.Door);
        var victim = context.Instances[0];
        var from = OpenLoopDriver.Now;
        var ejected = context.WaitForEjectionAsync(victim, TimeSpan.FromSeconds(30));
        // The sidecar's outbound door picks without connection state: there is no picker to leave, only ejection.
        var unpicked = context.Sidecar is not null ? Task.FromResult<long?>(null) : context.WaitForBalancerAsync(s => s.Ready.Length > 0 && !s.Ready.Any(e => e.Id == victim.Id), TimeSpan.FromSeconds(30));
        victim.Kill();
        var killed = OpenLoopDriver.Now;
        // The TTL (15 s) expires, then the check is critical and the passing-only query leaves the instance out.
        var dropped = await context.WaitForSnapshotAsync(s => !context.Lists(s, victim), TimeSpan.FromSeconds(60));
        if (context.Sidecar is null)
        {
            row.Time("out of the picker", FaultContext.Between(killed, await unpicked));
        }

        row.Time("ejected", FaultContext.Between(killed, await ejected));
        row.Time("dropped by discovery", FaultContext.Between(killed, dropped));
        row.Expect(dropped is not null, "discovery drops it");
        await victim.RestartAsync();
        await ExpectNormalAsync(context, row, TimeSpan.FromSeconds(60));
        row.SetCalls(await context.Driver.WindowAsync(from, OpenLoopDriver.Now), context.Driver.Deadline);
        if (row.FailedCount > 0)
        {
            var window = await context.Driver.WindowAsync(from, OpenLoopDriver.Now);
            var failures = window.Where(c => c.IsDone && c.Status != Grpc.Core.StatusCode.OK)
                .GroupBy(c => $"{c.Status} '{c.Detail}' after {c.Duration.TotalMilliseconds:0} ms, sent {FaultContext.Between(killed, c.Sent)?.TotalSeconds:0.00} s after the kill");
            row.Note($"failures: {string.Join(", ", failures.Take(3).Select(g => $"{g.Key} x{g.Count()}"))}");
        }

        row.Expect(row.FailedCount == 0, "0 failed calls");
        return row;
    }
}
