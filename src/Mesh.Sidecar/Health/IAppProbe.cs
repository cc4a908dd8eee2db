namespace Mesh.Sidecar.Health;

/// <summary>One way to ask the app whether it is healthy (<c>Mesh:Sidecar:Probe:Kind</c>).</summary>
internal interface IAppProbe
{
    /// <summary>Gets what the probe does, such as <c>TCP connect to 127.0.0.1:5000</c>.</summary>
    string Description { get; }

    /// <summary>Probes the app once; the caller bounds it with the probe timeout through <paramref name="cancellationToken"/>.</summary>
    Task<ProbeResult> ProbeAsync(CancellationToken cancellationToken);
}
