namespace Mesh;

/// <summary>The registries Mesh can use. All three implement the same registration and watch interfaces.</summary>
public enum RegistryKind
{
    /// <summary>A directory of leased entries on this machine: zero install, for development and demos.</summary>
    Local = 0,

    /// <summary>Consul, through the agent's HTTP API: for production.</summary>
    Consul = 1,

    /// <summary>Endpoints listed in configuration under <c>Mesh:Services:&lt;name&gt;:Endpoints</c>.</summary>
    Static = 2,
}
