using Mesh.Consul;
using Mesh.Discovery;
using Mesh.Registration;
using Mesh.Registries.Local;

namespace Mesh;

/// <summary>
/// Everything Mesh is configured with, bound from the <c>Mesh</c> configuration section and validated at start.
/// </summary>
public sealed class MeshOptions
{
    /// <summary>The configuration section Mesh binds: <c>Mesh</c>.</summary>
    public const string SectionName = "Mesh";

    /// <summary>
    /// Gets or sets which registry registers and discovers services (<c>Mesh:Registry</c>).
    /// </summary>
    /// <value>Defaults to <see cref="RegistryKind.Consul"/> when a Consul address is configured
    /// (<c>Mesh:Consul:Address</c> or <c>CONSUL_HTTP_ADDR</c>), otherwise <see cref="RegistryKind.Local"/>.</value>
    public RegistryKind? Registry { get; set; }

    /// <summary>Gets the Consul connection (<c>Mesh:Consul</c>).</summary>
    public ConsulClientOptions Consul { get; } = new();

    /// <summary>Gets the Local registry's settings (<c>Mesh:Local</c>).</summary>
    public LocalRegistryOptions Local { get; } = new();

    /// <summary>Gets how this instance registers itself (<c>Mesh:Registration</c>).</summary>
    public RegistrationOptions Registration { get; } = new();

    /// <summary>Gets how services are watched (<c>Mesh:Discovery</c>).</summary>
    public DiscoveryOptions Discovery { get; } = new();

    /// <summary>Gets per-service settings keyed by service name (<c>Mesh:Services:&lt;name&gt;</c>).</summary>
    public Dictionary<string, ServiceOptions> Services { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Gets the values binding could not read (a bare number for a duration, an unknown enum name), each naming its key;
    /// validation reports them with every other error. Internal, so the binder never sees it.
    /// </summary>
    internal List<string> ConfigurationErrors { get; } = [];
}
