namespace Mesh.Benchmarks.Faults;

/// <summary>Scenario 4: the agent restarts, its index reset and the registrations lost; its connections drop.</summary>
internal sealed class RegistryRestartScenario : FaultScenario
{
    private const string RegisterPath = "/v1/agent/service/register";

    /// <summary>One heartbeat: TTL/3 (the default 15 s TTL), plus a little for the machine.</summary>
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(5.5);

    public override bool ThroughSidecar => false;

    public override string Name => "registry-restart";

    public override string Expectation => "registry restart, index reset, registrations lost: all registered again within one heartbeat; never an empty snapshot";

    public override async Task<ScenarioRow> RunAsync(FaultContext context)
    {
        var row = new ScenarioRow(Name, context.Door);
        var smallest = int.MaxValue;
        using var subscription = context.Watch.Subscribe(s => InterlockedMin(ref smallest, s.Endpoints.Length));
        var registrations = context.Consul.CountRequests(RegisterPath, "PUT");
        var from = OpenLoopDriver.Now;
        context.Proxy.Refuse();
        context.Consul.Restart(resetIndex: true);
        context.Proxy.Heal();
        var restarted = OpenLoopDriver.Now;
        long? registered = null;
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            try
            {
                await context.Consul.WaitForRequestsAsync(RegisterPath, registrations + context.Instances.Count, timeout.Token);
                registered = OpenLoopDriver.Now;
            }
            catch (OperationCanceledException)
            {
            }
        }

        var relisted = await context.WaitForSnapshotAsync(s => context.Instances.All(i => context.Lists(s, i)) && s.Version > 0, TimeSpan.FromSeconds(30));
        row.Time("all registered again", FaultContext.Between(restarted, registered));
        row.Expect(FaultContext.Between(restarted, registered) <= Heartbeat, "all registered again within one heartbeat");
        await ExpectNormalAsync(context, row, TimeSpan.FromSeconds(90));
        row.SetCalls(await context.Driver.WindowAsync(from, OpenLoopDriver.Now), context.Driver.Deadline);
        row.Note($"smallest snapshot {(smallest == int.MaxValue ? "none published" : smallest)}");
        row.Expect(smallest > 0, "never an empty snapshot");
        row.Expect(row.FailedCount == 0, "0 failed calls");
        _ = relisted;
        return row;
    }

    private static void InterlockedMin(ref int target, int value)
    {
        int current;
        while (value < (current = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
