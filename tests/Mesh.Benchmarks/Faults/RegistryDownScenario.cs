using Mesh.Testing.Consul;

namespace Mesh.Benchmarks.Faults;

/// <summary>Scenario 3: the registry refuses connections, then hangs, then answers 500, then garbage, then returns.</summary>
internal sealed class RegistryDownScenario : FaultScenario
{
    private static readonly TimeSpan Phase = TimeSpan.FromSeconds(10);

    public override bool ThroughSidecar => false;

    public override string Name => "registry-down";

    public override string Expectation => "registry refused (60 s), hanging, 500s, garbage JSON: 0 failed calls, staleness reported, fresh within 2 s of its return";

    public override async Task<ScenarioRow> RunAsync(FaultContext context)
    {
        var row = new ScenarioRow(Name, context.Door);
        var from = OpenLoopDriver.Now;
        context.Proxy.Refuse();
        await Task.Delay(context.Options.RegistryDown);
        CheckStale(context, row, "refused");
        context.Proxy.Heal();
        context.Proxy.Hang();
        await Task.Delay(Phase);
        CheckStale(context, row, "hanging");
        // The emulator's faults first, then the proxy forwards again: no request slips through between phases.
        context.Consul.FaultPathPrefix = "/v1/health/";
        context.Consul.Fault = EmulatorFault.Unavailable;
        context.Proxy.Heal();
        await Task.Delay(Phase);
        CheckStale(context, row, "500");
        context.Consul.Fault = EmulatorFault.Garbage;
        await Task.Delay(Phase);
        CheckStale(context, row, "garbage");
        var staleFor = context.Watch.Current.StaleSince is { } since ? TimeProvider.System.GetUtcNow() - since : (TimeSpan?)null;
        context.Consul.Fault = EmulatorFault.None;
        var returned = OpenLoopDriver.Now;
        var fresh = await context.WaitForSnapshotAsync(s => !s.IsStale, TimeSpan.FromSeconds(60));
        context.Consul.FaultPathPrefix = null;
        row.Time("stale for", staleFor);
        row.Time("fresh after return", FaultContext.Between(returned, fresh));
        row.Expect(FaultContext.Between(returned, fresh) <= TimeSpan.FromSeconds(2), "fresh within 2 s of its return");
        await ExpectNormalAsync(context, row, TimeSpan.FromSeconds(30));
        row.SetCalls(await context.Driver.WindowAsync(from, OpenLoopDriver.Now), context.Driver.Deadline);
        row.Expect(row.FailedCount == 0, "0 failed calls");
        return row;
    }

    private static void CheckStale(FaultContext context, ScenarioRow row, string phase)
    {
        var snapshot = context.Watch.Current;
        row.Expect(snapshot.IsStale && snapshot.Endpoints.Length == context.Instances.Count, $"stale, last-known-good snapshot while {phase}");
    }
}
