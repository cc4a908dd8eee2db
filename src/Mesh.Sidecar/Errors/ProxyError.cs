namespace Mesh.Sidecar.Errors;

/// <summary>Why the sidecar answers a request itself instead of passing on the destination's answer.</summary>
internal enum ProxyError
{
    /// <summary>The destination could not be reached or broke off before answering: HTTP 502, gRPC UNAVAILABLE.</summary>
    Unreachable = 0,

    /// <summary>No instance to send to (unknown service, none healthy): HTTP 503, gRPC UNAVAILABLE.</summary>
    NoInstances = 1,

    /// <summary>The destination did not answer in time: HTTP 504, gRPC DEADLINE_EXCEEDED.</summary>
    Timeout = 2,

    /// <summary>The request could not be forwarded as sent (bad authority, unreadable body): HTTP 400, gRPC INTERNAL.</summary>
    BadRequest = 3,

    /// <summary>The destination service's circuit breaker is open: HTTP 503, gRPC UNAVAILABLE, without touching the network.</summary>
    CircuitOpen = 4,
}
