namespace Mesh.Testing.Consul.Internal;

/// <summary>
/// A check as the emulated agent holds it. Mutable, and only touched under <see cref="EmulatorState"/>'s lock; the
/// timers (TTL expiry, critical reaping) belong to <see cref="CheckClock"/>.
/// </summary>
internal sealed class CheckRecord
{
    public required string CheckId { get; init; }

    public required string Name { get; init; }

    /// <summary>The owning service's id; empty for a node check such as <c>serfHealth</c>. Name and tags come from the service.</summary>
    public string ServiceId { get; init; } = "";

    /// <summary><c>ttl</c>, <c>http</c>, <c>grpc</c>, <c>tcp</c>, <c>maintenance</c>, or empty for serf.</summary>
    public string Type { get; init; } = "";

    public string Interval { get; init; } = "";

    public string Timeout { get; init; } = "";

    public string Notes { get; init; } = "";

    public TimeSpan? Ttl { get; init; }

    public TimeSpan? DeregisterCriticalServiceAfter { get; init; }

    /// <summary>Whether /v1/agent/checks lists it (serfHealth lives in the catalog only).</summary>
    public bool IsAgentLocal { get; init; } = true;

    public string Status { get; set; } = EmulatorStatus.Critical;

    public string Output { get; set; } = "";

    public ulong CreateIndex { get; set; }

    public ulong ModifyIndex { get; set; }

    /// <summary>When the check last turned critical, or <see langword="null"/> while it is not.</summary>
    public DateTimeOffset? CriticalSince { get; set; }

    /// <summary>When a TTL check expires unless updated first.</summary>
    public DateTimeOffset? TtlDeadline { get; set; }

    public ITimer? TtlTimer { get; set; }

    public ITimer? ReapTimer { get; set; }

    public void DisposeTimers()
    {
        TtlTimer?.Dispose();
        ReapTimer?.Dispose();
        TtlTimer = null;
        ReapTimer = null;
    }
}
