using System.Text.Json.Serialization;
using Mesh.Discovery;

namespace Mesh.Registries.Local.Internal;

/// <summary>
/// One instance's file in the Local registry: <c>&lt;directory&gt;/&lt;service&gt;/&lt;id&gt;.json</c>. Only the owning
/// process writes it; any process may delete it once it has been critical for longer than
/// <see cref="DeregisterCriticalAfterMs"/>. Times are Unix milliseconds so every process reads them alike.
/// </summary>
internal sealed record LocalEntry
{
    /// <summary>The format version, so a later Mesh can read files older ones wrote.</summary>
    public const int CurrentVersion = 1;

    public int Version { get; init; } = CurrentVersion;

    public required string Id { get; init; }

    public required string Service { get; init; }

    public required string Address { get; init; }

    public required int Port { get; init; }

    public IReadOnlyList<string> Tags { get; init; } = [];

    public IReadOnlyDictionary<string, string> Meta { get; init; } = new Dictionary<string, string>();

    /// <summary>The status the owner last reported: <c>passing</c>, <c>warning</c> or <c>critical</c>.</summary>
    public string Status { get; init; } = LocalStatus.Passing;

    public string? Output { get; init; }

    public bool Maintenance { get; init; }

    public string? MaintenanceReason { get; init; }

    /// <summary>When the lease runs out unless renewed; the instance is critical from then on.</summary>
    public required long LeaseExpiresUnixMs { get; init; }

    /// <summary>How long after the lease ran out any reader may delete the file.</summary>
    public required long DeregisterCriticalAfterMs { get; init; }

    /// <summary>The writer's process id: for people reading the directory, not for the protocol.</summary>
    public int ProcessId { get; init; }

    /// <summary>Returns the instance's health at <paramref name="nowUnixMs"/>.</summary>
    public EndpointHealth HealthAt(long nowUnixMs) =>
        Maintenance || nowUnixMs >= LeaseExpiresUnixMs ? EndpointHealth.Critical : LocalStatus.ToHealth(Status);

    /// <summary>Returns when any reader may delete the file.</summary>
    [JsonIgnore]
    public long ReapableAtUnixMs => LeaseExpiresUnixMs + DeregisterCriticalAfterMs;
}
