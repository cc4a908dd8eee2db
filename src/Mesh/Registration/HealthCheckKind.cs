namespace Mesh.Registration;

/// <summary>How the registry learns that an instance is healthy.</summary>
public enum HealthCheckKind
{
    /// <summary>The instance reports in (a heartbeat) at least once per TTL.</summary>
    Ttl = 0,

    /// <summary>The registry's agent sends HTTP GETs to the instance; 2xx is passing, 429 warning.</summary>
    Http = 1,

    /// <summary>The registry's agent calls the standard gRPC health service on the instance.</summary>
    Grpc = 2,
}
