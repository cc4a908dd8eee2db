using Microsoft.Extensions.Configuration;

namespace Mesh.Telemetry.Internal;

/// <summary>
/// What <c>AddMeshTelemetry</c> decides from configuration: the service name (null when OpenTelemetry's own
/// <c>OTEL_SERVICE_NAME</c> or <c>OTEL_RESOURCE_ATTRIBUTES</c> names the service, or when Mesh has no name of its own) and the exporter.
/// </summary>
internal sealed record MeshTelemetrySettings(string? ServiceName, bool UseOtlp, bool NamedByOpenTelemetry = false)
{
    /// <summary>The variables that name an OTLP destination; any one of them turns the OTLP exporter on.</summary>
    public static readonly string[] OtlpEndpointKeys =
    [
        "OTEL_EXPORTER_OTLP_ENDPOINT",
        "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
        "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT",
    ];

    public static MeshTelemetrySettings From(IConfiguration configuration)
    {
        // OpenTelemetry's resource detectors apply these; a name Mesh added after them would win, so Mesh adds none.
        var namedByOpenTelemetry = !string.IsNullOrWhiteSpace(configuration["OTEL_SERVICE_NAME"])
            || (configuration["OTEL_RESOURCE_ATTRIBUTES"] ?? string.Empty).Split(',').Any(a => a.Trim().StartsWith("service.name=", StringComparison.Ordinal));
        var serviceName = namedByOpenTelemetry ? null : NullIfBlank(configuration["Mesh:Registration:ServiceName"]);
        var useOtlp = OtlpEndpointKeys.Any(key => !string.IsNullOrWhiteSpace(configuration[key]));
        return new(serviceName, useOtlp, namedByOpenTelemetry);
    }

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
