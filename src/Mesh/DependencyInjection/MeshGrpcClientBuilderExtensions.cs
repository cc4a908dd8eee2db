using Grpc.Core;
using Grpc.Net.ClientFactory;
using Mesh.Balancing;
using Mesh.Channels;
using Mesh.Channels.Internal;
using Mesh.Resilience;
using Mesh.Resilience.Internal;
using Mesh.Telemetry.Internal;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Routes a Grpc.Net.ClientFactory client through the mesh.</summary>
public static class MeshGrpcClientBuilderExtensions
{
    /// <summary>
    /// Points the client at <c>mesh:///<paramref name="serviceName"/></c> (or <c>consul:///</c> with
    /// <paramref name="scheme"/> <c>consul</c>): instances come from discovery, calls are balanced with the service's
    /// balancer, failing instances are ejected, and every call gets the service's call policy (deadline, retries
    /// under the budget, circuit breaker) and inherits the deadline of the incoming gRPC call being handled.
    /// Without <c>services.AddMesh(...)</c> it adds Mesh itself, configured from the container's <c>IConfiguration</c> (the
    /// host's <c>Mesh</c> section), so a client-only app needs no other call.
    /// </summary>
    /// <example><c>services.AddGrpcClient&lt;Orders.OrdersClient&gt;().AddMesh("orders");</c></example>
    /// <param name="builder">The builder <c>AddGrpcClient&lt;T&gt;()</c> returned.</param>
    /// <param name="serviceName">The logical service name.</param>
    /// <param name="scheme"><c>mesh</c> (the configured registry, the default) or <c>consul</c>.</param>
    /// <returns>The builder, for chaining.</returns>
    public static IHttpClientBuilder AddMesh(this IHttpClientBuilder builder, string serviceName, string scheme = BalancingDefaults.MeshScheme)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(serviceName);
        ArgumentException.ThrowIfNullOrWhiteSpace(scheme);
        var address = new Uri($"{scheme}:///{serviceName}");
        builder.Services.AddMeshForClient();
        builder.Services.Configure<GrpcClientFactoryOptions>(builder.Name, options => options.Address = address);
        builder.ConfigureChannel((services, options) =>
        {
            options.Credentials ??= ChannelCredentials.Insecure;
            options.LoggerFactory = MeshChannelOptions.CreateLoggerFactory(services) ?? options.LoggerFactory;
        });
        // HttpClientFactory logs four Information lines per call, and a failed attempt's stack twice; grpc-dotnet and
        // Mesh already log the call. AddDefaultLogger() after AddMesh brings them back.
        builder.RemoveAllLoggers();
        // HttpClientFactory's primary handler is a SocketsHttpHandler; grpc-dotnet applies its ConnectTimeout to subchannels.
        builder.ConfigurePrimaryHttpMessageHandler((handler, services) =>
        {
            if (handler is SocketsHttpHandler sockets)
            {
                sockets.ConnectTimeout = MeshChannelOptions.ConnectTimeoutFor(services, serviceName);
            }
        });
        builder.AddHttpMessageHandler(() => new TraceContextHandler());
        builder.AddHttpMessageHandler(MeshBalancing.CreateStatusHandler);
        // Channel scope: one interceptor per channel; the policy it applies is the service's shared one either way.
        builder.AddInterceptor(InterceptorScope.Channel, services => new CallPolicyInterceptor(
            services.GetRequiredService<MeshChannels>().GetPolicy(serviceName), services.GetService<ICallContextSource>()));
        return builder;
    }
}
