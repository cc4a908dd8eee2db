namespace Mesh.Sidecar.Configuration;

/// <summary>How the app is probed (<c>Mesh:Sidecar:Probe</c>); the result is what the registration heartbeat reports.</summary>
internal sealed class ProbeOptions
{
    /// <summary>Gets or sets the kind of probe (<c>Mesh:Sidecar:Probe:Kind</c>: <c>Tcp</c>, <c>Http</c> or <c>Grpc</c>).</summary>
    /// <value>Defaults to <see cref="ProbeKind.Tcp"/>.</value>
    public ProbeKind Kind { get; set; } = ProbeKind.Tcp;

    /// <summary>Gets or sets the path an HTTP probe GETs (<c>Mesh:Sidecar:Probe:Path</c>).</summary>
    /// <value>Defaults to <c>/healthz</c>.</value>
    public string Path { get; set; } = SidecarDefaults.ProbePath;

    /// <summary>Gets or sets the service a gRPC probe asks about (<c>Mesh:Sidecar:Probe:GrpcService</c>).</summary>
    /// <value>Defaults to empty: the server as a whole.</value>
    public string GrpcService { get; set; } = "";

    /// <summary>Gets or sets how often the app is probed (<c>Mesh:Sidecar:Probe:Interval</c>).</summary>
    /// <value>Defaults to 5 s; a health change reaches the registry within one interval.</value>
    public TimeSpan Interval { get; set; } = SidecarDefaults.ProbeInterval;

    /// <summary>Gets or sets how long a probe may take (<c>Mesh:Sidecar:Probe:Timeout</c>); at most the interval.</summary>
    /// <value>Defaults to 1 s.</value>
    public TimeSpan Timeout { get; set; } = SidecarDefaults.ProbeTimeout;
}
