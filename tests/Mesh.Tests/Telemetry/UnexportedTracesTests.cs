using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Mesh.Tests.Telemetry;

/// <summary>
/// With <c>OTEL_TRACES_EXPORTER=none</c> (the sidecar's default) nobody exports spans, so a request that starts a trace
/// records none; one that arrives inside a sampled trace still records, so the trace context passed on stays sampled.
/// </summary>
public sealed class UnexportedTracesTests
{
    // A source of this test's own: ActivitySource listeners are process-wide and other tests listen to Mesh's.
    private readonly string _source = "unexported-traces-test-" + Guid.NewGuid().ToString("N");

    private IHost Host(Dictionary<string, string?> settings)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddMeshTelemetry(builder.Configuration).WithTracing(tracing => tracing.AddSource(_source));
        var host = builder.Build();
        _ = host.Services.GetRequiredService<TracerProvider>(); // subscribes the listener
        return host;
    }

    [Fact]
    public void NoExporter_ARootSpan_IsNotRecorded()
    {
        using var host = Host(new() { ["OTEL_TRACES_EXPORTER"] = "none" });
        using var source = new ActivitySource(_source);

        using var span = source.StartActivity("request", ActivityKind.Server);

        Assert.False(span?.Recorded ?? false, "a span nobody exports was recorded");
    }

    [Fact]
    public void NoExporter_ASpanUnderASampledParent_IsRecorded_SoTheContextPassedOnStaysSampled()
    {
        using var host = Host(new() { ["OTEL_TRACES_EXPORTER"] = "none" });
        using var source = new ActivitySource(_source);
        var parent = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded, isRemote: true);

        using var span = source.StartActivity("request", ActivityKind.Server, parent);

        Assert.NotNull(span);
        Assert.True(span.Recorded);
        Assert.Equal(parent.TraceId, span.TraceId);
    }

    [Theory]
    [InlineData("none", "always_on")] // a sampler the user set wins
    [InlineData("console", null)]
    public void ASamplerOrAnExporter_ARootSpan_IsRecorded(string exporter, string? sampler)
    {
        using var host = Host(new() { ["OTEL_TRACES_EXPORTER"] = exporter, ["OTEL_TRACES_SAMPLER"] = sampler });
        using var source = new ActivitySource(_source);

        using var span = source.StartActivity("request", ActivityKind.Server);

        Assert.NotNull(span);
        Assert.True(span.Recorded);
    }
}
