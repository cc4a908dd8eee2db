using System.Collections.Immutable;

namespace Mesh.Discovery;

/// <summary>One reachable instance of a service, as a registry reported it.</summary>
/// <param name="Id">The registry's unique id for the instance (Consul's service ID).</param>
/// <param name="ServiceName">The logical service name, such as <c>orders</c>.</param>
/// <param name="Host">The address to connect to: an IP address or a DNS name.</param>
/// <param name="Port">The TCP port to connect to.</param>
public sealed record ServiceEndpoint(string Id, string ServiceName, string Host, int Port)
{
    /// <summary>Gets the instance's tags (for example a version or a zone).</summary>
    public ImmutableArray<string> Tags { get; init; } = [];

    /// <summary>Gets the instance's metadata.</summary>
    public ImmutableDictionary<string, string> Meta { get; init; } = ImmutableDictionary<string, string>.Empty;

    /// <summary>Gets the aggregated health of the instance's checks.</summary>
    public EndpointHealth Health { get; init; } = EndpointHealth.Passing;

    /// <summary>Gets the datacenter the instance runs in, when the registry knows it.</summary>
    public string? Datacenter { get; init; }

    /// <summary>Gets <c>host:port</c>, bracketing IPv6 literals.</summary>
    public string Authority => Host.Contains(':', StringComparison.Ordinal) && !Host.StartsWith('[') ? $"[{Host}]:{Port}" : $"{Host}:{Port}";

    /// <summary>Returns <see cref="Authority"/>.</summary>
    public override string ToString() => $"{Id}@{Authority}";

    /// <summary>Value equality that includes the tag and metadata contents.</summary>
    public bool Equals(ServiceEndpoint? other) =>
        other is not null
        && Id == other.Id && ServiceName == other.ServiceName && Host == other.Host && Port == other.Port
        && Health == other.Health && Datacenter == other.Datacenter
        && Tags.SequenceEqual(other.Tags)
        && Meta.Count == other.Meta.Count && Meta.All(kv => other.Meta.TryGetValue(kv.Key, out var v) && v == kv.Value);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Id, ServiceName, Host, Port, Health);
}
