namespace Mesh.Testing.Consul.Internal;

/// <summary>A check from a registration body, validated, with its id and name already defaulted as Consul does.</summary>
internal sealed record CheckDefinition(
    string CheckId,
    string Name,
    string Type,
    string? Status,
    string Notes,
    TimeSpan? Ttl,
    string Interval,
    string Timeout,
    TimeSpan? DeregisterCriticalServiceAfter);
