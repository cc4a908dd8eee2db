using Mesh.Sidecar.Configuration;

namespace Mesh.Sidecar.Health.Internal;

/// <summary>Builds the configured <see cref="IAppProbe"/>.</summary>
internal static class AppProbeFactory
{
    public static IAppProbe Create(SidecarOptions options)
    {
        var port = options.AppPort ?? throw new InvalidOperationException("Mesh:Sidecar:AppPort is required.");
        return options.Probe.Kind switch
        {
            ProbeKind.Http => new HttpAppProbe(port, options.Probe.Path),
            ProbeKind.Grpc => new GrpcAppProbe(port, options.Probe.GrpcService),
            _ => new TcpAppProbe(port),
        };
    }
}
