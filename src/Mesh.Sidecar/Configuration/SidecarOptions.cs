namespace Mesh.Sidecar.Configuration;

/// <summary>
/// The sidecar's own settings (<c>Mesh:Sidecar</c>). Everything else under <c>Mesh:</c> (registry, Consul,
/// registration, per-service policy) means what it means in the library.
/// </summary>
internal sealed class SidecarOptions
{
    /// <summary>The configuration section: <c>Mesh:Sidecar</c>.</summary>
    public const string SectionName = "Mesh:Sidecar";

    /// <summary>Gets or sets the port the app listens on at 127.0.0.1 (<c>Mesh:Sidecar:AppPort</c>, <c>--app-port</c>). Required.</summary>
    public int? AppPort { get; set; }

    /// <summary>Gets or sets the inbound listen URL: mesh traffic for the app, which is registered at it (<c>Mesh:Sidecar:Inbound</c>).</summary>
    /// <value>Defaults to <c>http://0.0.0.0:4143</c>.</value>
    public string Inbound { get; set; } = SidecarDefaults.Inbound;

    /// <summary>Gets or sets the outbound listen URL, the app's way out to other services (<c>Mesh:Sidecar:Outbound</c>; not served yet).</summary>
    /// <value>Defaults to <c>http://127.0.0.1:4140</c>.</value>
    public string Outbound { get; set; } = SidecarDefaults.Outbound;

    /// <summary>Gets or sets the admin listen URL (<c>Mesh:Sidecar:Admin</c>): health, readiness, metrics, endpoints, config.</summary>
    /// <value>Defaults to <c>http://127.0.0.1:4191</c>; a non-loopback address needs <see cref="AllowNonLoopbackAdmin"/>.</value>
    public string Admin { get; set; } = SidecarDefaults.Admin;

    /// <summary>Gets or sets whether the admin listener may bind a non-loopback address (<c>Mesh:Sidecar:AllowNonLoopbackAdmin</c>).</summary>
    public bool AllowNonLoopbackAdmin { get; set; }

    /// <summary>Gets the local port per upstream service (<c>Mesh:Sidecar:Upstreams:&lt;service&gt;</c>, <c>--upstream name=port</c>).</summary>
    public Dictionary<string, int> Upstreams { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Gets or sets the largest request body kept for replay on a retry (<c>Mesh:Sidecar:MaxRetryBodyBytes</c>).</summary>
    /// <value>Defaults to 65536 (64 KiB).</value>
    public int MaxRetryBodyBytes { get; set; } = SidecarDefaults.MaxRetryBodyBytes;

    /// <summary>Gets or sets how long a forwarded request may make no progress before it is cancelled (<c>Mesh:Sidecar:IdleTimeout</c>).</summary>
    /// <value>Defaults to 5 min.</value>
    public TimeSpan IdleTimeout { get; set; } = SidecarDefaults.IdleTimeout;

    /// <summary>Gets how the app is probed (<c>Mesh:Sidecar:Probe</c>).</summary>
    public ProbeOptions Probe { get; } = new();

    /// <summary>Gets the parsed inbound address (valid once the options have passed validation).</summary>
    internal ListenAddress InboundAddress => Parse(nameof(Inbound), Inbound);

    /// <summary>Gets the parsed outbound address.</summary>
    internal ListenAddress OutboundAddress => Parse(nameof(Outbound), Outbound);

    /// <summary>Gets the parsed admin address.</summary>
    internal ListenAddress AdminAddress => Parse(nameof(Admin), Admin);

    /// <summary>Gets the values that could not be read (wrong type), reported by the validator with their keys.</summary>
    internal List<string> ReadErrors { get; } = [];

    private static ListenAddress Parse(string name, string url) =>
        ListenAddress.TryParse(SectionName + ":" + name, url, out var error) ?? throw new InvalidOperationException(error);
}
