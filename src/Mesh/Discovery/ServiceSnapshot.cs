using System.Collections.Immutable;

namespace Mesh.Discovery;

/// <summary>
/// An immutable view of a service's instances at one moment. A new snapshot is published for every change;
/// callers can hold on to one safely from any thread.
/// </summary>
public sealed class ServiceSnapshot
{
    private ServiceSnapshot(ServiceQuery query, ImmutableArray<ServiceEndpoint> endpoints, long version,
        DateTimeOffset? lastUpdated, DateTimeOffset? staleSince, string? lastError)
    {
        Query = query;
        Endpoints = endpoints;
        Version = version;
        LastUpdated = lastUpdated;
        StaleSince = staleSince;
        LastError = lastError;
    }

    /// <summary>Gets the query this snapshot answers.</summary>
    public ServiceQuery Query { get; }

    /// <summary>Gets the instances, ordered by <see cref="ServiceEndpoint.Id"/>.</summary>
    public ImmutableArray<ServiceEndpoint> Endpoints { get; }

    /// <summary>Gets a number that grows with every published snapshot of this query (0 before the first answer).</summary>
    public long Version { get; }

    /// <summary>Gets when the registry last answered successfully, or <see langword="null"/> if it never has.</summary>
    public DateTimeOffset? LastUpdated { get; }

    /// <summary>
    /// Gets when the registry started failing, or <see langword="null"/> while it answers. While set,
    /// <see cref="Endpoints"/> is the last-known-good set.
    /// </summary>
    public DateTimeOffset? StaleSince { get; }

    /// <summary>Gets why the registry's last answer was not used, or <see langword="null"/>.</summary>
    public string? LastError { get; }

    /// <summary>Gets a value indicating whether the registry has answered at least once.</summary>
    public bool HasResolved => LastUpdated is not null;

    /// <summary>Gets a value indicating whether the endpoints are last-known-good rather than current.</summary>
    public bool IsStale => StaleSince is not null;

    /// <summary>Returns how long the data has been stale at <paramref name="now"/>; zero when it is current.</summary>
    /// <param name="now">The current time.</param>
    public TimeSpan StalenessAt(DateTimeOffset now) => StaleSince is { } since && now > since ? now - since : TimeSpan.Zero;

    internal static ServiceSnapshot Empty(ServiceQuery query) => new(query, [], 0, null, null, null);

    internal ServiceSnapshot WithEndpoints(ImmutableArray<ServiceEndpoint> endpoints, DateTimeOffset now) =>
        new(Query, endpoints, Version + 1, now, null, null);

    internal ServiceSnapshot WithError(string error, DateTimeOffset now) =>
        new(Query, Endpoints, Version + 1, LastUpdated, StaleSince ?? now, error);

    /// <inheritdoc />
    public override string ToString() =>
        $"{Query.ServiceName} v{Version}: [{string.Join(", ", Endpoints.Select(e => e.Authority))}]{(IsStale ? " (stale)" : "")}";
}
