using Mesh.DependencyInjection.Internal;
using Mesh.Registration.Internal;
using Mesh.Telemetry.Internal;
using Mesh.Sidecar.Admin;
using Mesh.Sidecar.Configuration;
using Mesh.Sidecar.Configuration.Internal;
using Mesh.Sidecar.Health;
using Mesh.Sidecar.Health.Internal;
using Mesh.Sidecar.Inbound;
using Mesh.Sidecar.Inbound.Internal;
using Mesh.Sidecar.Outbound;
using Mesh.Sidecar.Outbound.Internal;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Instrumentation.AspNetCore;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Mesh.Sidecar;

/// <summary>Puts the sidecar together: the library (<c>AddMesh</c>, <c>AddMeshTelemetry</c>) plus the sidecar's doors.</summary>
internal static class SidecarServiceCollectionExtensions
{
    /// <summary>The meter and source of the forwarder's HTTP client (.NET's own), exported next to Mesh's and Kestrel's.</summary>
    public const string HttpClientInstrumentation = "System.Net.Http";

    public static IServiceCollection AddSidecar(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddMesh(configuration);
        services.AddSingleton(new MeshSectionOwner("Sidecar")); // Mesh:Sidecar is read and checked by SidecarOptionsReader
        // No console exporter by default: a span per forwarded request would flood it; metrics are on /metrics.
        services.AddMeshTelemetry(configuration, TelemetryExporter.None)
            .WithTracing(tracing => tracing.AddSource(HttpClientInstrumentation))
            .WithMetrics(metrics => metrics.AddMeter(HttpClientInstrumentation).AddPrometheusExporter());
        // Spans for traffic only: admin requests (scrapes, readiness checks) would drown the traces.
        services.AddOptions<AspNetCoreTraceInstrumentationOptions>()
            .Configure<SidecarListeners>((tracing, listeners) => tracing.Filter = context => !listeners.IsAdmin(context));

        services.AddSingleton<IConfigureOptions<SidecarOptions>>(new SidecarOptionsReader(configuration));
        services.AddOptions<SidecarOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SidecarOptions>, SidecarOptionsValidator>());

        services.AddSingleton<SidecarListeners>();
        services.AddSingleton<IRegistrationAddressSource>(sp => sp.GetRequiredService<SidecarListeners>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConnectionListenerFactory, InboundListenerFactory>());
        services.AddSingleton<IConfigureOptions<KestrelServerOptions>, SidecarKestrelSetup>();

        services.AddHttpForwarder();
        services.AddSingleton<AppHttpClient>();
        services.AddSingleton<InboundForwarder>();
        services.AddSingleton<UpstreamBalancers>();
        services.AddSingleton<OutboundForwarder>();

        services.AddSingleton(sp => AppProbeFactory.Create(sp.GetRequiredService<IOptions<SidecarOptions>>().Value));
        services.AddSingleton<AppProber>();
        services.AddHostedService(sp => sp.GetRequiredService<AppProber>());
        services.AddHealthChecks().AddCheck<AppHealthCheck>(AppHealthCheck.Name);

        services.AddSingleton<AdminRequestHandler>();
        return services;
    }
}
