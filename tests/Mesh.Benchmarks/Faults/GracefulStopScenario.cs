namespace Mesh.Benchmarks.Faults;

/// <summary>Scenario 2: SIGTERM one instance (maintenance, drain, deregister, exit).</summary>
internal sealed class GracefulStopScenario : FaultScenario
{
    public override string Name => "sigterm";

    public override string Expectation => "graceful stop (SIGTERM) of one: 0 failed calls, 0 calls to it after its deregistration is seen";

    public override async Task<ScenarioRow> RunAsync(FaultContext context)
    {
        var row = new ScenarioRow(Name, context.Door);
        var victim = context.Instances[1];
        var from = OpenLoopDriver.Now;
        victim.Terminate();
        var stopped = OpenLoopDriver.Now;
        var dropped = await context.WaitForSnapshotAsync(s => !context.Lists(s, victim), TimeSpan.FromSeconds(30));
        using (var exit = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            await victim.WaitForExitAsync(exit.Token);
        }

        var exited = OpenLoopDriver.Now;
        row.Time("dropped by discovery", FaultContext.Between(stopped, dropped));
        row.Time("exited", FaultContext.Between(stopped, exited));
        row.Expect(dropped is not null, "discovery drops it");
        await victim.RestartAsync();
        await ExpectNormalAsync(context, row, TimeSpan.FromSeconds(60));
        var calls = await context.Driver.WindowAsync(from, OpenLoopDriver.Now);
        row.SetCalls(calls, context.Driver.Deadline);
        var restarted = exited;
        var late = dropped is { } seen ? calls.Count(c => c.Sent >= seen && c.Sent < restarted && c.Instance == victim.Id) : 0;
        row.Note($"calls to it after dropped {late}");
        row.Expect(row.FailedCount == 0, "0 failed calls");
        row.Expect(late == 0, "0 calls to it after its deregistration is seen");
        return row;
    }
}
