using Mesh.Telemetry.Internal;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Turns on OpenTelemetry for a Mesh service in one call.</summary>
public static class MeshTelemetryServiceCollectionExtensions
{
    /// <summary>OpenTelemetry's sampler setting; when set, it is the user's choice and wins.</summary>
    private const string SamplerKey = "OTEL_TRACES_SAMPLER";

    /// <summary>
    /// Adds OpenTelemetry tracing and metrics with Mesh's instrumentation and ASP.NET Core's server spans, names the
    /// service after <c>Mesh:Registration:ServiceName</c>, else the application (<c>IHostEnvironment.ApplicationName</c>),
    /// unless <c>OTEL_SERVICE_NAME</c> or <c>service.name</c> in <c>OTEL_RESOURCE_ATTRIBUTES</c> is set, and exports over
    /// OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> (or a per-signal endpoint) is set — Jaeger ingests OTLP on port
    /// 4317 — or to the console otherwise; <c>OTEL_TRACES_EXPORTER</c>/<c>OTEL_METRICS_EXPORTER</c> (<c>otlp</c>,
    /// <c>console</c>, <c>none</c>) choose per signal. Every other <c>OTEL_*</c> variable (protocol, headers, sampler) applies
    /// as usual; sampling stays parent-based unless you configure it. With traces' exporter <c>none</c> and no
    /// <c>OTEL_TRACES_SAMPLER</c>, a trace is not started here (only continued inside a sampled one): nothing would export
    /// it; add your own exporter with a sampler (<c>SetSampler</c>) to record those.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The app's configuration (the <c>Mesh</c> section and <c>OTEL_*</c> variables are read from it).</param>
    /// <returns>The OpenTelemetry builder, to add more instrumentation or exporters.</returns>
    public static IOpenTelemetryBuilder AddMeshTelemetry(this IServiceCollection services, IConfiguration configuration) =>
        AddMeshTelemetry(services, configuration, TelemetryExporter.Console);

    /// <summary>
    /// <see cref="AddMeshTelemetry(IServiceCollection, IConfiguration)"/> with the exporter a signal gets when neither its
    /// <c>OTEL_*_EXPORTER</c> variable nor an OTLP endpoint is set (the sidecar's is none).
    /// </summary>
    internal static IOpenTelemetryBuilder AddMeshTelemetry(this IServiceCollection services, IConfiguration configuration, TelemetryExporter fallback)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        var settings = MeshTelemetrySettings.From(configuration, fallback);
        var builder = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddDetector(sp => new ServiceNameDetector(settings, sp.GetService<IHostEnvironment>())))
            .WithTracing(tracing => tracing.AddMeshInstrumentation().AddAspNetCoreInstrumentation())
            .WithMetrics(metrics => metrics.AddMeshInstrumentation().AddAspNetCoreInstrumentation());
        if (settings.BothOtlp)
        {
            // One cross-signal exporter: OpenTelemetry's recommended form, and the only one that also takes logs.
            return builder.UseOtlpExporter();
        }

        builder.WithTracing(tracing => _ = settings.Traces switch
        {
            TelemetryExporter.Otlp => tracing.AddOtlpExporter(),
            TelemetryExporter.Console => tracing.AddConsoleExporter(),
            // Nobody exports: a trace this process would start is recorded for nothing (two spans per proxied request in
            // the sidecar). Inside a sampled trace it still records, so the context passed on stays sampled.
            _ when string.IsNullOrWhiteSpace(configuration[SamplerKey]) => tracing.SetSampler(new ParentBasedSampler(new AlwaysOffSampler())),
            _ => tracing,
        });
        builder.WithMetrics(metrics => _ = settings.Metrics switch
        {
            TelemetryExporter.Otlp => metrics.AddOtlpExporter(),
            TelemetryExporter.Console => metrics.AddConsoleExporter(),
            _ => metrics,
        });
        return builder;
    }
}
