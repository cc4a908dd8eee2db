using Mesh.Sidecar.Admin;
using Mesh.Sidecar.Configuration;
using Mesh.Sidecar.Configuration.Internal;
using Mesh.Sidecar.Inbound;
using Mesh.Sidecar.Outbound;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Mesh.Sidecar;

/// <summary>Builds and starts the sidecar: one Kestrel server, the inbound, outbound and admin doors routed by local port.</summary>
internal static class SidecarHost
{
    private static readonly Dictionary<string, string?> QuietLogging = new()
    {
        ["Logging:LogLevel:Default"] = "Information",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
        ["Logging:LogLevel:Yarp"] = "Warning",
        ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Information",
    };

    /// <summary>Builds the sidecar from configuration arguments (<see cref="SidecarArguments.ConfigurationArgs"/>).</summary>
    /// <param name="args">Command-line configuration, such as <c>--Mesh:Sidecar:AppPort=5000</c>.</param>
    /// <param name="configure">Changes before the sidecar's services are added (tests add configuration and a clock).</param>
    public static WebApplication Build(IReadOnlyList<string> args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [.. args], ApplicationName = "Mesh.Sidecar" });
        // Lowest-priority defaults: a log line per forwarded request is the proxy's metrics' job, not its log's.
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = QuietLogging });
        configure?.Invoke(builder);
        builder.Services.AddSidecar(builder.Configuration);
        var app = builder.Build();

        // Resolved on first use: building must not read (and validate) the options; starting does, naming the keys.
        var listeners = app.Services.GetRequiredService<SidecarListeners>();
        var admin = new Lazy<AdminRequestHandler>(app.Services.GetRequiredService<AdminRequestHandler>);
        var inbound = new Lazy<InboundForwarder>(app.Services.GetRequiredService<InboundForwarder>);
        var outbound = new Lazy<OutboundForwarder>(app.Services.GetRequiredService<OutboundForwarder>);
        app.MapWhen(listeners.IsAdmin, branch =>
        {
            branch.UseOpenTelemetryPrometheusScrapingEndpoint(context => context.Request.Path == "/metrics");
            branch.Run(context => admin.Value.HandleAsync(context));
        });
        app.Run(context => listeners.IsOutbound(context, out var upstream)
            ? outbound.Value.RouteAsync(context, upstream)
            : inbound.Value.ForwardAsync(context));
        return app;
    }

    /// <summary>
    /// Starts the sidecar. Invalid settings throw <see cref="OptionsValidationException"/>, a taken port
    /// <see cref="SidecarStartupException"/>; both name the key.
    /// </summary>
    public static async Task StartAsync(WebApplication app, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(app);
        var options = app.Services.GetRequiredService<IOptions<SidecarOptions>>().Value; // validates, naming every bad key
        ListenPortCheck.ThrowIfUnavailable([options.InboundAddress, options.OutboundAddress, options.AdminAddress,
            .. options.Upstreams.Select(u => new ListenAddress($"{SidecarOptions.SectionName}:Upstreams:{u.Key}", new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, u.Value)))]);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException ex) when (ex.InnerException is AddressInUseException)
        {
            // Taken between the check and the bind.
            throw new SidecarStartupException($"A listen port of {SidecarOptions.SectionName}:Inbound, :Outbound, :Admin or :Upstreams was taken while starting: {ex.Message}", ex);
        }
    }
}
