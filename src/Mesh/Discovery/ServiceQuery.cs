namespace Mesh.Discovery;

/// <summary>
/// What to watch: a service name plus the filters that select its instances. Two callers that ask for equal
/// queries share one watch in the process.
/// </summary>
/// <param name="ServiceName">The logical service name.</param>
public sealed record ServiceQuery(string ServiceName)
{
    /// <summary>Gets a tag every returned instance must carry, or <see langword="null"/> for any.</summary>
    public string? Tag { get; init; }

    /// <summary>Gets the datacenter to query, or <see langword="null"/> for the agent's own.</summary>
    public string? Datacenter { get; init; }

    /// <summary>
    /// Gets a value indicating whether instances whose checks warn are returned too. By default only passing
    /// instances are.
    /// </summary>
    public bool IncludeWarning { get; init; }

    /// <summary>Gets a Consul filter expression passed through to the registry, or <see langword="null"/>.</summary>
    public string? Filter { get; init; }

    /// <summary>Returns a query for <paramref name="serviceName"/> after checking the name is usable.</summary>
    /// <param name="serviceName">The logical service name.</param>
    public static ServiceQuery For(string serviceName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(serviceName);
        return new ServiceQuery(serviceName);
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"{ServiceName}{(Tag is null ? "" : $" tag={Tag}")}{(Datacenter is null ? "" : $" dc={Datacenter}")}{(IncludeWarning ? " +warning" : "")}{(Filter is null ? "" : $" filter={Filter}")}";
}
