namespace Mesh.Testing.Consul;

/// <summary>A registered service instance with its node's and its own checks, as the emulator holds it at one moment.</summary>
/// <param name="Id">The instance id.</param>
/// <param name="Name">The service name.</param>
/// <param name="Address">The registered address (empty: the node's).</param>
/// <param name="Port">The port.</param>
/// <param name="Tags">The tags.</param>
/// <param name="Meta">The metadata.</param>
/// <param name="Checks">The node's checks followed by the instance's, ordered by id as Consul lists them.</param>
public sealed record EmulatedService(
    string Id, string Name, string Address, int Port, IReadOnlyList<string> Tags, IReadOnlyDictionary<string, string> Meta, IReadOnlyList<EmulatedCheck> Checks)
{
    /// <summary>Gets the worst status among <see cref="Checks"/>.</summary>
    public string AggregatedStatus =>
        Checks.Any(c => c.Status == "critical") ? "critical" : Checks.Any(c => c.Status == "warning") ? "warning" : "passing";
}
