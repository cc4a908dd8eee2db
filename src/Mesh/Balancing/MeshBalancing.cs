using Grpc.Net.Client.Balancer;
using Mesh.Balancing.Internal;
using Mesh.Discovery;
using Mesh.Telemetry.Internal;

namespace Mesh.Balancing;

/// <summary>
/// Builds Mesh's gRPC balancing pieces. Register the factories in the <c>ServiceProvider</c> of a
/// <c>GrpcChannelOptions</c> (or the app's container) and address channels as <c>mesh:///orders</c>:
/// <code>
/// services.AddSingleton&lt;ResolverFactory&gt;(...) for each of CreateResolverFactories(...);
/// services.AddSingleton&lt;LoadBalancerFactory&gt;(...) for each of CreateLoadBalancerFactories(...);
/// GrpcChannel.ForAddress("mesh:///orders", new() { ServiceProvider = provider, Credentials = ChannelCredentials.Insecure,
///     HttpHandler = MeshBalancing.CreateHttpHandler() });
/// </code>
/// </summary>
public static class MeshBalancing
{
    /// <summary>Returns resolver factories for <c>consul:///</c> and <c>mesh:///</c>, both over <paramref name="discovery"/>.</summary>
    /// <param name="discovery">The process's discovery.</param>
    /// <param name="optionsForService">Returns a service's balancing options.</param>
    /// <param name="timeProvider">The clock for resolve timeouts; the system clock by default.</param>
    /// <param name="queryForService">Returns a service's discovery query; <see cref="ServiceQuery.For"/> by default.</param>
    public static IReadOnlyList<ResolverFactory> CreateResolverFactories(IServiceDiscovery discovery, Func<string, BalancingOptions> optionsForService,
        TimeProvider? timeProvider = null, Func<string, ServiceQuery>? queryForService = null) =>
    [
        new MeshResolverFactory(BalancingDefaults.ConsulScheme, discovery, optionsForService, timeProvider, queryForService),
        new MeshResolverFactory(BalancingDefaults.MeshScheme, discovery, optionsForService, timeProvider, queryForService),
    ];

    /// <summary>Returns one load balancer factory per <see cref="LoadBalancerKind"/> (<c>mesh_p2c</c>, <c>mesh_round_robin</c>).</summary>
    /// <param name="optionsForService">Returns a service's balancing options.</param>
    /// <param name="monitor">Receives ejection events and serves diagnostics; share one per process.</param>
    /// <param name="timeProvider">The clock for latency and ejection times; the system clock by default.</param>
    public static IReadOnlyList<LoadBalancerFactory> CreateLoadBalancerFactories(Func<string, BalancingOptions> optionsForService,
        BalancingMonitor? monitor = null, TimeProvider? timeProvider = null) =>
    [
        new MeshLoadBalancerFactory(LoadBalancerKind.PowerOfTwoChoices, optionsForService, timeProvider, monitor),
        new MeshLoadBalancerFactory(LoadBalancerKind.RoundRobin, optionsForService, timeProvider, monitor),
    ];

    /// <summary>
    /// Returns the handler to give a Mesh channel (<c>GrpcChannelOptions.HttpHandler</c>): it lets outlier ejection
    /// see the gRPC status of failed calls (gRPC's call tracker only sees transport errors), and sends the trace context
    /// of Mesh's attempt span. Without it, ejection still reacts to refused and reset connections.
    /// </summary>
    /// <param name="innerHandler">
    /// The handler it wraps; it must be, or end in, a <see cref="SocketsHttpHandler"/> for gRPC load balancing.
    /// A new one with multiple HTTP/2 connections enabled by default.
    /// </param>
    public static DelegatingHandler CreateHttpHandler(HttpMessageHandler? innerHandler = null)
    {
        var handler = CreateStatusHandler();
        handler.InnerHandler = innerHandler ?? new SocketsHttpHandler { EnableMultipleHttp2Connections = true };
        // Sends the attempt span's trace context, so the server's span is its child (see TraceContextHandler).
        return new TraceContextHandler { InnerHandler = handler };
    }

    /// <summary>
    /// Returns the status handler of <see cref="CreateHttpHandler"/> without an inner handler, for pipelines that link
    /// handlers themselves (<c>IHttpClientBuilder.AddHttpMessageHandler</c> with Grpc.Net.ClientFactory).
    /// </summary>
    public static DelegatingHandler CreateStatusHandler() => new CallStatusHandler();
}
