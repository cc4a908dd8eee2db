namespace Mesh.Telemetry;

/// <summary>
/// The names Mesh's traces and metrics are published under. Subscribe with
/// <c>AddMeshInstrumentation()</c> on the OpenTelemetry tracer and meter builders, or by name.
/// </summary>
public static class MeshTelemetry
{
    /// <summary>The name of Mesh's <see cref="System.Diagnostics.ActivitySource"/>: <c>Mesh</c>.</summary>
    public const string ActivitySourceName = "Mesh";

    /// <summary>The name of Mesh's <see cref="System.Diagnostics.Metrics.Meter"/>: <c>Mesh</c>.</summary>
    public const string MeterName = "Mesh";
}
