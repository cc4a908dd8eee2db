using Mesh.Discovery;

namespace Mesh.Registration;

/// <summary>The health this instance reports about itself through its heartbeat.</summary>
/// <param name="Status">The status.</param>
/// <param name="Output">A human-readable note shown by the registry.</param>
public readonly record struct RegistrationHealth(EndpointHealth Status, string? Output)
{
    /// <summary>Gets a passing report.</summary>
    public static RegistrationHealth Passing { get; } = new(EndpointHealth.Passing, null);
}
