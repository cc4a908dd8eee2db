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
    public void NoOtlpEndpoint_FallsBackToConsole()
    {
        var settings = Settings(("Mesh:Registration:ServiceName", "orders"));
        Assert.Equal((TelemetryExporter.Console, TelemetryExporter.Console), (settings.Traces, settings.Metrics));
    }

    [Theory]
    [InlineData("OTEL_EXPORTER_OTLP_ENDPOINT")]
    [InlineData("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")]
    [InlineData("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT")]
    public void AnyOtlpEndpoint_TurnsOtlpOn(string key) =>
        Assert.True(Settings((key, "http://127.0.0.1:4317")).BothOtlp);

    [Fact]
    public void ExporterVariables_ChoosePerSignal_OverTheEndpoint()
    {
        var settings = Settings(("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4317"), ("OTEL_METRICS_EXPORTER", "none"));
        Assert.Equal((TelemetryExporter.Otlp, TelemetryExporter.None), (settings.Traces, settings.Metrics));
        Assert.Equal(TelemetryExporter.Console, Settings(("OTEL_TRACES_EXPORTER", " Console ")).Traces);
    }

    [Fact]
    public void NoEndpointNorVariable_UsesTheCallersFallback()
    {
        var settings = MeshTelemetrySettings.From(new ConfigurationBuilder().Build(), TelemetryExporter.None);
        Assert.Equal((TelemetryExporter.None, TelemetryExporter.None), (settings.Traces, settings.Metrics));
    }

    [Fact]
    public void UnknownExporter_NamesTheVariableAndTheValues()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Settings(("OTEL_TRACES_EXPORTER", "zipkin")));
        Assert.Contains("OTEL_TRACES_EXPORTER must be one of otlp, console, none (was 'zipkin')", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ServiceName_ComesFromRegistration_UnlessOtelServiceNameIsSet()
    {
        Assert.Equal("orders", Settings(("Mesh:Registration:ServiceName", "orders")).ServiceName);
        Assert.Null(Settings(("Mesh:Registration:ServiceName", "orders"), ("OTEL_SERVICE_NAME", "from-env")).ServiceName);
    }
}
