using Mesh.Telemetry.Internal;
using Microsoft.Extensions.Configuration;

namespace Mesh.Tests.Telemetry;

public sealed class MeshTelemetrySettingsTests
{
    private static MeshTelemetrySettings Settings(params (string Key, string Value)[] values) =>
        MeshTelemetrySettings.From(new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value)))
            .Build());

    [Fact]
    public void NoOtlpEndpoint_FallsBackToConsole() =>
        Assert.False(Settings(("Mesh:Registration:ServiceName", "orders")).UseOtlp);

    [Theory]
    [InlineData("OTEL_EXPORTER_OTLP_ENDPOINT")]
    [InlineData("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")]
    [InlineData("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT")]
    public void AnyOtlpEndpoint_TurnsOtlpOn(string key) =>
        Assert.True(Settings((key, "http://127.0.0.1:4317")).UseOtlp);

    [Fact]
    public void ServiceName_ComesFromRegistration_UnlessOtelServiceNameIsSet()
    {
        Assert.Equal("orders", Settings(("Mesh:Registration:ServiceName", "orders")).ServiceName);
        Assert.Null(Settings(("Mesh:Registration:ServiceName", "orders"), ("OTEL_SERVICE_NAME", "from-env")).ServiceName);
    }
}
