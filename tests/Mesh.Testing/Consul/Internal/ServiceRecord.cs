using System.Collections.Immutable;

namespace Mesh.Testing.Consul.Internal;

/// <summary>A registered service instance as the emulated agent and catalog hold it.</summary>
internal sealed record ServiceRecord
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    public ImmutableArray<string> Tags { get; init; } = [];

    public string Address { get; init; } = "";

    public int Port { get; init; }

    /// <summary>The metadata, or <see langword="null"/> when none was registered (health answers print null then).</summary>
    public ImmutableSortedDictionary<string, string>? Meta { get; init; }

    public ImmutableSortedDictionary<string, TaggedAddress> TaggedAddresses { get; init; } = ImmutableSortedDictionary<string, TaggedAddress>.Empty;

    public int WeightPassing { get; init; } = 1;

    public int WeightWarning { get; init; } = 1;

    public bool EnableTagOverride { get; init; }

    public ulong CreateIndex { get; init; }

    public ulong ModifyIndex { get; init; }

    /// <summary>Whether two registrations describe the same instance (indexes aside): re-registering it is no change.</summary>
    public bool SameDefinition(ServiceRecord other) =>
        Id == other.Id && Name == other.Name && Address == other.Address && Port == other.Port
        && EnableTagOverride == other.EnableTagOverride && WeightPassing == other.WeightPassing && WeightWarning == other.WeightWarning
        && Tags.SequenceEqual(other.Tags)
        && (Meta ?? ImmutableSortedDictionary<string, string>.Empty).SequenceEqual(other.Meta ?? ImmutableSortedDictionary<string, string>.Empty)
        && TaggedAddresses.SequenceEqual(other.TaggedAddresses);
}

/// <summary>One of a service's tagged addresses (<c>lan_ipv4</c>, <c>wan_ipv4</c>, ...).</summary>
internal sealed record TaggedAddress(string Address, int Port);
