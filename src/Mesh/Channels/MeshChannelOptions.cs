using Grpc.Core;
using Grpc.Net.Client;
using Grpc.Net.Client.Balancer;
using Mesh.Balancing;
using Mesh.Telemetry.Internal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Mesh.Channels;

/// <summary>Channel options for <c>GrpcChannel.ForAddress("mesh:///orders", ...)</c> with Mesh's resolver and balancers.</summary>
public static class MeshChannelOptions
{
    /// <summary>
    /// Returns options that let a <see cref="GrpcChannel"/> resolve <c>mesh:///</c> and <c>consul:///</c> addresses
    /// through <paramref name="services"/> (an app's provider after <c>AddMesh</c>), over plaintext HTTP/2 (mesh
    /// traffic between instances; put TLS in front or set <see cref="GrpcChannelOptions.Credentials"/> for more),
    /// with the handler that reports gRPC statuses to outlier ejection. grpc-dotnet's own log entries below Warning
    /// (a failed attempt with its stack, which Mesh retries and logs as one Debug line) are written at Trace.
    /// </summary>
    /// <param name="services">The service provider holding Mesh's resolver and balancer factories.</param>
    /// <exception cref="InvalidOperationException"><paramref name="services"/> has no Mesh (no <c>AddMesh</c> call).</exception>
    public static GrpcChannelOptions Create(IServiceProvider services) => Create(services, BalancingDefaults.ConnectTimeout);

    /// <summary>
    /// Returns the options of <see cref="Create(IServiceProvider)"/> for a channel to <paramref name="serviceName"/>:
    /// connections to its instances time out after its <c>Mesh:Services:&lt;name&gt;:Balancing:ConnectTimeout</c>.
    /// </summary>
    /// <param name="services">The service provider holding Mesh's resolver and balancer factories.</param>
    /// <param name="serviceName">The logical service name the channel calls.</param>
    /// <exception cref="InvalidOperationException"><paramref name="services"/> has no Mesh (no <c>AddMesh</c> call).</exception>
    public static GrpcChannelOptions Create(IServiceProvider services, string serviceName)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(serviceName);
        return Create(services, ConnectTimeoutFor(services, serviceName));
    }

    /// <summary>The service's configured connect timeout, else the default.</summary>
    internal static TimeSpan ConnectTimeoutFor(IServiceProvider services, string serviceName) =>
        services.GetService<IOptions<MeshOptions>>()?.Value.Services.TryGetValue(serviceName, out var service) == true
            ? service.Balancing.ConnectTimeout
            : BalancingDefaults.ConnectTimeout;

    private static GrpcChannelOptions Create(IServiceProvider services, TimeSpan connectTimeout)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (!services.GetServices<ResolverFactory>().Any(factory => factory.Name == BalancingDefaults.MeshScheme))
        {
            // Otherwise the first call fails with grpc-dotnet's "No address resolver configured for the scheme 'mesh'".
            throw new InvalidOperationException(
                "This service provider has no Mesh: call services.AddMesh(configuration) (or AddGrpcClient<T>().AddMesh(name)) before creating mesh:/// channels.");
        }

        return new GrpcChannelOptions
        {
            ServiceProvider = services,
            Credentials = ChannelCredentials.Insecure,
            // grpc-dotnet gives the handler's ConnectTimeout to its subchannels' connects too (not only HttpClient's).
            HttpHandler = MeshBalancing.CreateHttpHandler(new SocketsHttpHandler { EnableMultipleHttp2Connections = true, ConnectTimeout = connectTimeout }),
            LoggerFactory = CreateLoggerFactory(services),
        };
    }

    /// <summary>The app's logger factory, with grpc-dotnet's entries below Warning written at Trace (see <see cref="GrpcLoggerFactory"/>).</summary>
    internal static ILoggerFactory? CreateLoggerFactory(IServiceProvider services) =>
        services.GetService<ILoggerFactory>() is { } loggerFactory ? new GrpcLoggerFactory(loggerFactory) : null;
}
