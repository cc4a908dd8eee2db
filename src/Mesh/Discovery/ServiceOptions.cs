using Mesh.Balancing;
using Mesh.Resilience;

namespace Mesh.Discovery;

/// <summary>Settings for calls to one service (<c>Mesh:Services:&lt;name&gt;</c>).</summary>
public sealed class ServiceOptions
{
    /// <summary>
    /// Gets the fixed endpoints of the service for the Static registry, as <c>host:port</c> or absolute URIs
    /// (<c>Mesh:Services:&lt;name&gt;:Endpoints</c>).
    /// </summary>
    public List<string> Endpoints { get; } = [];

    /// <summary>Gets or sets a tag every used instance must carry (<c>Mesh:Services:&lt;name&gt;:Tag</c>).</summary>
    public string? Tag { get; set; }

    /// <summary>Gets or sets the datacenter to discover the service in (<c>Mesh:Services:&lt;name&gt;:Datacenter</c>).</summary>
    public string? Datacenter { get; set; }

    /// <summary>
    /// Gets or sets whether warning instances are used for this service, overriding
    /// <see cref="DiscoveryOptions.IncludeWarning"/> (<c>Mesh:Services:&lt;name&gt;:IncludeWarning</c>).
    /// </summary>
    public bool? IncludeWarning { get; set; }

    /// <summary>Gets or sets a Consul filter expression for the service's instances (<c>Mesh:Services:&lt;name&gt;:Filter</c>).</summary>
    public string? Filter { get; set; }

    /// <summary>
    /// Gets the call policy for the service: timeout, retries, retry budget, hedging, circuit breaker and per-method
    /// overrides (<c>Mesh:Services:&lt;name&gt;:Policy</c>). Services that are not listed get the defaults.
    /// </summary>
    public CallPolicyOptions Policy { get; } = new();

    /// <summary>
    /// Gets how calls to the service choose an instance: balancer, preferred tag, resolve timeout and outlier
    /// ejection (<c>Mesh:Services:&lt;name&gt;:Balancing</c>). Services that are not listed get the defaults.
    /// </summary>
    public BalancingOptions Balancing { get; } = new();
}
