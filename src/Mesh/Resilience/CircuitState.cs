namespace Mesh.Resilience;

/// <summary>The state of a service's circuit breaker.</summary>
public enum CircuitState
{
    /// <summary>Calls flow; attempts are counted.</summary>
    Closed,

    /// <summary>Calls fail at once without touching the network.</summary>
    Open,

    /// <summary>The break is over; one probe call is let through to decide between closed and open.</summary>
    HalfOpen,
}
