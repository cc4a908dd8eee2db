using Mesh.Resilience;

namespace Mesh.Benchmarks.Faults;

/// <summary>Scenario 7: every instance sheds load for 10 s (RESOURCE_EXHAUSTED / UNAVAILABLE with pushback).</summary>
internal sealed class OverloadScenario : FaultScenario
{
    private static readonly TimeSpan Fault = TimeSpan.FromSeconds(10);

    public override string Name => "overload";

    public override string Expectation => "all answer RESOURCE_EXHAUSTED / UNAVAILABLE with pushback for 10 s: attempts <= calls x 1.2 + floor, recovery when they stop";

    public override async Task<ScenarioRow> RunAsync(FaultContext context)
    {
        var row = new ScenarioRow(Name, context.Door);
        // Through the sidecar the attempts are counted where they arrive: the instances' own call counts.
        var before = context.Sidecar is null ? 0 : await context.InstanceCallsAsync();
        var from = OpenLoopDriver.Now;
        context.Instances[0].Send("fail Unavailable 100");
        context.Instances[1].Send("fail Unavailable 100");
        context.Instances[2].Send("fail ResourceExhausted 100");
        await Task.Delay(Fault);
        foreach (var instance in context.Instances)
        {
            instance.Send("heal");
        }

        var healed = OpenLoopDriver.Now;
        var attempts = context.Sidecar is null ? context.Attempts.Count(from, healed) : await context.InstanceCallsAsync() - before;
        // Recovered: a whole second of calls answered (ejections from the fault may last longer: they are per instance).
        var recovered = await context.WaitForAllAnsweredAsync(TimeSpan.FromSeconds(30));
        row.Time("recovered", recovered);
        await ExpectNormalAsync(context, row, TimeSpan.FromSeconds(60));
        var calls = await context.Driver.WindowAsync(from, OpenLoopDriver.Now);
        row.SetCalls(calls, context.Driver.Deadline);
        var faultCalls = calls.Count(c => c.Sent < healed); // calls and attempts started in [from, healed), on one clock
        // The budget's floor: MinRetriesPerSecond over its Ttl (the fault lasts one Ttl).
        var budget = new RetryBudgetOptions();
        var floor = budget.MinRetriesPerSecond * budget.Ttl.TotalSeconds;
        var limit = (faultCalls * (1 + budget.RetryRatio)) + floor;
        row.Note($"attempts {attempts} for {faultCalls} calls (limit {limit:0})");
        row.Expect(attempts <= limit, "attempts <= calls x 1.2 + floor");
        var breakTime = new CircuitBreakerOptions().BreakDuration;
        row.Expect(recovered is { } r && r <= breakTime + TimeSpan.FromSeconds(3), $"recovered within the break time ({breakTime.TotalSeconds:0} s) + 3 s");
        return row;
    }
}
