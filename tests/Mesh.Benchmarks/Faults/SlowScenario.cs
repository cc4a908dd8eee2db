
namespace Mesh.Benchmarks.Faults;

/// <summary>Scenario 6: one instance answers 200 ms late.</summary>
internal sealed class SlowScenario : FaultScenario
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(5);

    public override string Name => "slow";

    public override string Expectation => "one instance slowed by 200 ms: its share of calls below 10% within 5 s";

    public override async Task<ScenarioRow> RunAsync(FaultContext context)
    {
        var row = new ScenarioRow(Name, context.Door);
        var victim = context.Instances[0];
        var from = OpenLoopDriver.Now;
        victim.Send("delay 200");
        await Task.Delay(Settle);
        var measured = OpenLoopDriver.Now;
        await Task.Delay(Settle);
        var healed = OpenLoopDriver.Now;
        victim.Send("heal");
        await ExpectNormalAsync(context, row, TimeSpan.FromSeconds(30));
        var calls = await context.Driver.WindowAsync(from, OpenLoopDriver.Now);
        row.SetCalls(calls, context.Driver.Deadline);
        var after = calls.Where(c => c.Sent >= measured && c.Sent < healed && c.Status == Grpc.Core.StatusCode.OK).ToList();
        var share = after.Count == 0 ? 1 : after.Count(c => c.Instance == victim.Id) / (double)after.Count;
        var first = calls.Where(c => c.Sent >= from && c.Sent < measured && c.Status == Grpc.Core.StatusCode.OK).ToList();
        var firstShare = first.Count == 0 ? 1 : first.Count(c => c.Instance == victim.Id) / (double)first.Count;
        row.Note($"its share {firstShare:P1} in the first 5 s, {share:P1} in the next 5 s");
        row.Expect(share < 0.10, "its share below 10% within 5 s");
        row.Expect(row.FailedCount == 0, "0 failed calls");
        return row;
    }
}
