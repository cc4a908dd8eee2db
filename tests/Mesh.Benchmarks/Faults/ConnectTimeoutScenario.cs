using Mesh.Testing.Net;

namespace Mesh.Benchmarks.Faults;

/// <summary>Connection timeouts: a fourth instance is listed whose connects never complete.</summary>
internal sealed class ConnectTimeoutScenario : FaultScenario
{
    private const string HangingId = "echo-hanging";

    public override bool ThroughSidecar => false;

    public override string Name => "connect-timeout";

    public override string Expectation => "an instance whose connect never completes: no call held longer than the connect timeout before another instance is tried";

    public override async Task<ScenarioRow> RunAsync(FaultContext context)
    {
        var row = new ScenarioRow(Name, context.Door);
        using var hanging = new HangingListener();
        row.Expect(await hanging.ConnectHangsAsync(TimeSpan.FromMilliseconds(500)), "the port's connects hang");
        var from = OpenLoopDriver.Now;
        context.Consul.RegisterService(HangingId, FaultHarness.ServiceName, hanging.Port);
        var listed = await context.WaitForSnapshotAsync(s => s.Endpoints.Any(e => e.Id == HangingId), TimeSpan.FromSeconds(10));
        row.Expect(listed is not null, "discovery lists it");
        await Task.Delay(TimeSpan.FromSeconds(10));
        context.Consul.DeregisterService(HangingId);
        await context.WaitForSnapshotAsync(s => s.Endpoints.All(e => e.Id != HangingId), TimeSpan.FromSeconds(10));
        await ExpectNormalAsync(context, row, TimeSpan.FromSeconds(30));
        var calls = await context.Driver.WindowAsync(from, OpenLoopDriver.Now);
        row.SetCalls(calls, context.Driver.Deadline);
        var longest = calls.Count == 0 ? TimeSpan.Zero : calls.Max(c => c.Duration);
        row.Note($"longest call {longest.TotalMilliseconds:0} ms (connect timeout {FaultHarness.ConnectTimeout.TotalSeconds:0} s)");
        row.Expect(longest <= FaultHarness.ConnectTimeout, "no call held longer than the connect timeout");
        row.Expect(row.FailedCount == 0, "0 failed calls");
        return row;
    }
}
