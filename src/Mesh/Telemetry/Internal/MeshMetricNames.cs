namespace Mesh.Telemetry.Internal;

/// <summary>Instrument and attribute names. Mesh's own, under <c>mesh.</c>, where OpenTelemetry has no convention.</summary>
internal static class MeshMetricNames
{
    public const string DiscoveryInstances = "mesh.discovery.instances";
    public const string DiscoveryStaleness = "mesh.discovery.staleness";
    public const string DiscoveryChanges = "mesh.discovery.changes";
    public const string RegistrationState = "mesh.registration.state";
    public const string RegistrationTransitions = "mesh.registration.transitions";

    public const string CallDuration = "rpc.client.call.duration";
    public const string Attempts = "mesh.client.attempts";
    public const string Retries = "mesh.client.retries";
    public const string RetriesDenied = "mesh.client.retries_denied";
    public const string CircuitState = "mesh.circuit.state";
    public const string EjectedInstances = "mesh.balancing.ejected_instances";

    public const string ServiceAttribute = "mesh.service";
    public const string TagAttribute = "mesh.tag";
    public const string StateAttribute = "mesh.registration.state";
}
