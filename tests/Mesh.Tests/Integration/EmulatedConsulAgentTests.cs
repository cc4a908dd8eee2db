using Mesh.Testing.Consul;

namespace Mesh.Tests.Integration;

/// <summary>
/// The agent scenarios <see cref="RealConsulAgentTests"/> runs against a real Consul, here against the emulator on the
/// system clock: the same code passing against both keeps the emulator and the client honest with each other.
/// </summary>
public sealed class EmulatedConsulAgentTests
{
    /// <summary>Long enough for a first discovery answer on a loaded machine, short enough to keep the suite fast.</summary>
    private static readonly TimeSpan ExpiryTtl = TimeSpan.FromMilliseconds(800);

    private static async Task RunAsync(Func<ConsulAgentScenarios, Task> scenario)
    {
        await using var consul = await ConsulEmulator.StartNewAsync();
        await using var scenarios = new ConsulAgentScenarios(consul.Address, ExpiryTtl);
        await scenario(scenarios);
    }

    [Fact]
    public Task Register_PassTtl_SeenPassingThroughDiscovery() => RunAsync(s => s.Register_PassTtl_SeenPassingThroughDiscovery());

    [Fact]
    public Task BlockingWatch_SecondRegistration_ReleasedWithinOneSecond() => RunAsync(s => s.BlockingWatch_SecondRegistration_ReleasedWithinOneSecond());

    [Fact]
    public Task TtlExpiry_NoHeartbeat_InstanceRemoved() => RunAsync(s => s.TtlExpiry_NoHeartbeat_InstanceRemoved());

    [Fact]
    public Task HostStop_RegisteredThroughAddMesh_DrainsAndDeregisters() => RunAsync(s => s.HostStop_RegisteredThroughAddMesh_DrainsAndDeregisters());

    [Fact]
    public Task KV_CheckAndSet_OnlyTheFirstWriterWins() => RunAsync(s => s.KV_CheckAndSet_OnlyTheFirstWriterWins());
}
