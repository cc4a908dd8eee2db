namespace Mesh.Telemetry.Internal;

/// <summary>Where a signal (traces, metrics) goes: the values of OpenTelemetry's <c>OTEL_TRACES_EXPORTER</c>/<c>OTEL_METRICS_EXPORTER</c>.</summary>
internal enum TelemetryExporter
{
    /// <summary>Not exported (<c>none</c>).</summary>
    None,

    /// <summary>Written to the console (<c>console</c>).</summary>
    Console,

    /// <summary>Sent over OTLP (<c>otlp</c>).</summary>
    Otlp,
}
