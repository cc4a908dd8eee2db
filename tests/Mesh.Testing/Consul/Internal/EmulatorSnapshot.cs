using System.Collections.Immutable;

namespace Mesh.Testing.Consul.Internal;

/// <summary>Copies the state into the public records tests assert on; called under the state's lock.</summary>
internal static class EmulatorSnapshot
{
    public static ImmutableArray<EmulatedService> Services(EmulatorState state, string name) =>
    [
        .. state.InstancesOf(name).Select(s => new EmulatedService(
            s.Id, s.Name, s.Address, s.Port, s.Tags, s.Meta ?? ImmutableSortedDictionary<string, string>.Empty,
            [.. state.NodeChecks.Concat(state.ChecksOf(s.Id)).Select(c => new EmulatedCheck(c.CheckId, c.Name, c.Status, c.Output, c.Notes, c.Type, c.ServiceId))])),
    ];
}
