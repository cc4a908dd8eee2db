using Microsoft.Extensions.Configuration;

namespace Mesh.Telemetry.Internal;

/// <summary>
/// What <c>AddMeshTelemetry</c> decides from configuration: the service name (null when OpenTelemetry's own
/// <c>OTEL_SERVICE_NAME</c> or <c>OTEL_RESOURCE_ATTRIBUTES</c> names the service, or when Mesh has no name of its own) and
/// each signal's exporter.
/// </summary>
internal sealed record MeshTelemetrySettings(string? ServiceName, TelemetryExporter Traces, TelemetryExporter Metrics, bool NamedByOpenTelemetry = false)
{
    /// <summary>The variables that name an OTLP destination; any one of them turns the OTLP exporter on.</summary>
    public static readonly string[] OtlpEndpointKeys =
    [
        "OTEL_EXPORTER_OTLP_ENDPOINT",
        "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
        "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT",
    ];

    /// <summary>OpenTelemetry's exporter-selection variables (the .NET SDK does not read them itself).</summary>
    public const string TracesExporterKey = "OTEL_TRACES_EXPORTER";

    /// <inheritdoc cref="TracesExporterKey"/>
    public const string MetricsExporterKey = "OTEL_METRICS_EXPORTER";

    /// <summary>Gets whether both signals go over OTLP, so one <c>UseOtlpExporter()</c> serves them.</summary>
    public bool BothOtlp => Traces == TelemetryExporter.Otlp && Metrics == TelemetryExporter.Otlp;

    /// <summary>
    /// Reads the settings. A signal's exporter is its <c>OTEL_*_EXPORTER</c> variable when set, else OTLP when an OTLP
    /// endpoint is configured, else <paramref name="fallback"/> (the console for an app; nothing for the sidecar, whose
    /// metrics are scraped and whose per-request spans would flood a console).
    /// </summary>
    public static MeshTelemetrySettings From(IConfiguration configuration, TelemetryExporter fallback = TelemetryExporter.Console)
    {
        // OpenTelemetry's resource detectors apply these; a name Mesh added after them would win, so Mesh adds none.
        var namedByOpenTelemetry = !string.IsNullOrWhiteSpace(configuration["OTEL_SERVICE_NAME"])
            || (configuration["OTEL_RESOURCE_ATTRIBUTES"] ?? string.Empty).Split(',').Any(a => a.Trim().StartsWith("service.name=", StringComparison.Ordinal));
        var serviceName = namedByOpenTelemetry ? null : NullIfBlank(configuration["Mesh:Registration:ServiceName"]);
        var unset = OtlpEndpointKeys.Any(key => !string.IsNullOrWhiteSpace(configuration[key])) ? TelemetryExporter.Otlp : fallback;
        return new(
            serviceName,
            Exporter(configuration, TracesExporterKey, unset),
            Exporter(configuration, MetricsExporterKey, unset),
            namedByOpenTelemetry);
    }

    private static TelemetryExporter Exporter(IConfiguration configuration, string key, TelemetryExporter unset) =>
        NullIfBlank(configuration[key])?.Trim().ToUpperInvariant() switch
        {
            null => unset,
            "NONE" => TelemetryExporter.None,
            "CONSOLE" => TelemetryExporter.Console,
            "OTLP" => TelemetryExporter.Otlp,
            var other => throw new InvalidOperationException(
                $"{key} must be one of otlp, console, none (was '{configuration[key]}'); Mesh supports one exporter per signal."),
        };

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
