using Microsoft.Extensions.Configuration;

namespace Mesh.Telemetry.Internal;

/// <summary>What <c>AddMeshTelemetry</c> decides from configuration: the service name and the exporter.</summary>
internal sealed record MeshTelemetrySettings(string? ServiceName, bool UseOtlp)
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
        // OTEL_SERVICE_NAME, when set, is applied by OpenTelemetry's own resource detector and must win.
        var serviceName = string.IsNullOrWhiteSpace(configuration["OTEL_SERVICE_NAME"])
            ? NullIfBlank(configuration["Mesh:Registration:ServiceName"])
            : null;
        var useOtlp = OtlpEndpointKeys.Any(key => !string.IsNullOrWhiteSpace(configuration[key]));
        return new(serviceName, useOtlp);
    }

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
