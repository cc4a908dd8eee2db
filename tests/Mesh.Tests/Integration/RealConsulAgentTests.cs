namespace Mesh.Tests.Integration;

/// <summary>The agent scenarios against a real Consul: <c>MESH_TEST_CONSUL_ADDR=http://127.0.0.1:8500 dotnet test</c>.</summary>
public sealed class RealConsulAgentTests
{
    private static async Task RunAsync(Func<ConsulAgentScenarios, Task> scenario)
    {
        await using var scenarios = new ConsulAgentScenarios(RealConsulFactAttribute.Address);
        await scenario(scenarios);
    }

    [RealConsulFact]
    public Task Register_PassTtl_SeenPassingThroughDiscovery() => RunAsync(s => s.Register_PassTtl_SeenPassingThroughDiscovery());

    [RealConsulFact]
    public Task BlockingWatch_SecondRegistration_ReleasedWithinOneSecond() => RunAsync(s => s.BlockingWatch_SecondRegistration_ReleasedWithinOneSecond());

    [RealConsulFact]
    public Task TtlExpiry_NoHeartbeat_InstanceRemoved() => RunAsync(s => s.TtlExpiry_NoHeartbeat_InstanceRemoved());

    [RealConsulFact]
    public Task HostStop_RegisteredThroughAddMesh_DrainsAndDeregisters() => RunAsync(s => s.HostStop_RegisteredThroughAddMesh_DrainsAndDeregisters());

    [RealConsulFact]
    public Task KV_CheckAndSet_OnlyTheFirstWriterWins() => RunAsync(s => s.KV_CheckAndSet_OnlyTheFirstWriterWins());
}
