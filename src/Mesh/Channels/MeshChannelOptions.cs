using Grpc.Core;
using Grpc.Net.Client;
using Mesh.Balancing;

namespace Mesh.Channels;

/// <summary>Channel options for <c>GrpcChannel.ForAddress("mesh:///orders", ...)</c> with Mesh's resolver and balancers.</summary>
public static class MeshChannelOptions
{
    /// <summary>
    /// Returns options that let a <see cref="GrpcChannel"/> resolve <c>mesh:///</c> and <c>consul:///</c> addresses
    /// through <paramref name="services"/> (an app's provider after <c>AddMesh</c>), over plaintext HTTP/2 (mesh
    /// traffic between instances; put TLS in front or set <see cref="GrpcChannelOptions.Credentials"/> for more),
    /// with the handler that reports gRPC statuses to outlier ejection.
    /// </summary>
    /// <param name="services">The service provider holding Mesh's resolver and balancer factories.</param>
    public static GrpcChannelOptions Create(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        return new GrpcChannelOptions
        {
            ServiceProvider = services,
            Credentials = ChannelCredentials.Insecure,
            HttpHandler = MeshBalancing.CreateHttpHandler(),
        };
    }
}
