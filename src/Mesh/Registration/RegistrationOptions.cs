namespace Mesh.Registration;

/// <summary>How this instance registers itself (<c>Mesh:Registration</c>).</summary>
public sealed class RegistrationOptions
{
    /// <summary>
    /// Gets or sets the logical name this instance registers under (<c>Mesh:Registration:ServiceName</c>).
    /// No registration happens while it is unset.
    /// </summary>
    public string? ServiceName { get; set; }

    /// <summary>Gets or sets whether to register (<c>Mesh:Registration:Enabled</c>).</summary>
    /// <value>Defaults to <see langword="true"/>; registration still needs <see cref="ServiceName"/>.</value>
    public bool Enabled { get; set; } = true;

    /// <summary>Gets or sets the instance id (<c>Mesh:Registration:ServiceId</c>).</summary>
    /// <value>Defaults to <c>name-host-port</c>: stable across restarts, unique per listener.</value>
    public string? ServiceId { get; set; }

    /// <summary>Gets or sets the address others connect to (<c>Mesh:Registration:Address</c>).</summary>
    /// <value>Defaults to the host of the server's first bound address; a wildcard bind uses this machine's name.</value>
    public string? Address { get; set; }

    /// <summary>Gets or sets the port others connect to (<c>Mesh:Registration:Port</c>).</summary>
    /// <value>Defaults to the port of the server's first bound address.</value>
    public int? Port { get; set; }

    /// <summary>Gets the instance's tags (<c>Mesh:Registration:Tags</c>).</summary>
    public List<string> Tags { get; } = [];

    /// <summary>Gets the instance's metadata (<c>Mesh:Registration:Meta</c>).</summary>
    public Dictionary<string, string> Meta { get; } = new(StringComparer.Ordinal);

    /// <summary>Gets or sets the kind of health check (<c>Mesh:Registration:Check</c>).</summary>
    /// <value>Defaults to <see cref="HealthCheckKind.Ttl"/>: this process heartbeats.</value>
    public HealthCheckKind Check { get; set; } = HealthCheckKind.Ttl;

    /// <summary>Gets or sets the TTL of a TTL check (<c>Mesh:Registration:Ttl</c>); heartbeats go every third of it.</summary>
    /// <value>Defaults to 15 s.</value>
    public TimeSpan Ttl { get; set; } = RegistrationDefaults.Ttl;

    /// <summary>Gets or sets the path an HTTP check requests (<c>Mesh:Registration:HealthPath</c>).</summary>
    /// <value>Defaults to <c>/healthz</c>.</value>
    public string HealthPath { get; set; } = RegistrationDefaults.HealthPath;

    /// <summary>Gets or sets how often the agent runs an HTTP or gRPC check (<c>Mesh:Registration:CheckInterval</c>).</summary>
    /// <value>Defaults to 10 s.</value>
    public TimeSpan CheckInterval { get; set; } = RegistrationDefaults.CheckInterval;

    /// <summary>Gets or sets how long the agent waits for an HTTP or gRPC check (<c>Mesh:Registration:CheckTimeout</c>).</summary>
    /// <value>Defaults to 5 s.</value>
    public TimeSpan CheckTimeout { get; set; } = RegistrationDefaults.CheckTimeout;

    /// <summary>
    /// Gets or sets how long the instance may stay critical before the registry removes it, so crashed
    /// instances disappear (<c>Mesh:Registration:DeregisterCriticalServiceAfter</c>).
    /// </summary>
    /// <value>Defaults to 1 min.</value>
    public TimeSpan DeregisterCriticalServiceAfter { get; set; } = RegistrationDefaults.DeregisterCriticalServiceAfter;

    /// <summary>
    /// Gets or sets how long to keep serving in maintenance mode on graceful stop before deregistering, so callers
    /// see the change and move away (<c>Mesh:Registration:DrainDelay</c>).
    /// </summary>
    /// <value>Defaults to 5 s.</value>
    public TimeSpan DrainDelay { get; set; } = RegistrationDefaults.DrainDelay;

    /// <summary>Gets or sets the first retry delay when the registry cannot be reached (<c>Mesh:Registration:RetryDelay</c>).</summary>
    /// <value>Defaults to 1 s, doubling per failure with jitter up to <see cref="MaxRetryDelay"/>.</value>
    public TimeSpan RetryDelay { get; set; } = RegistrationDefaults.RetryDelay;

    /// <summary>Gets or sets the longest retry delay (<c>Mesh:Registration:MaxRetryDelay</c>).</summary>
    /// <value>Defaults to 30 s.</value>
    public TimeSpan MaxRetryDelay { get; set; } = RegistrationDefaults.MaxRetryDelay;
}
