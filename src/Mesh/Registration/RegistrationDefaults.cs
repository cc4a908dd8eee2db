namespace Mesh.Registration;

/// <summary>Default values of <see cref="RegistrationOptions"/>.</summary>
public static class RegistrationDefaults
{
    /// <summary>The default TTL: 15 s.</summary>
    public static readonly TimeSpan Ttl = TimeSpan.FromSeconds(15);

    /// <summary>The default HTTP check path.</summary>
    public const string HealthPath = "/healthz";

    /// <summary>The default check interval: 10 s.</summary>
    public static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(10);

    /// <summary>The default check timeout: 5 s.</summary>
    public static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(5);

    /// <summary>The default critical-removal delay: 1 min (Consul's minimum).</summary>
    public static readonly TimeSpan DeregisterCriticalServiceAfter = TimeSpan.FromMinutes(1);

    /// <summary>The default drain delay: 5 s.</summary>
    public static readonly TimeSpan DrainDelay = TimeSpan.FromSeconds(5);

    /// <summary>The default first retry delay: 1 s.</summary>
    public static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    /// <summary>The default longest retry delay: 30 s.</summary>
    public static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(30);
}
