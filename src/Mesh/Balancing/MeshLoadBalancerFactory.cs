using Grpc.Net.Client.Balancer;
using Mesh.Balancing.Internal;
using Microsoft.Extensions.Logging;

namespace Mesh.Balancing;

/// <summary>
/// Creates Mesh's load balancers for gRPC channels: register one per <see cref="LoadBalancerKind"/> in the channel's
/// <c>ServiceProvider</c> (see <see cref="MeshBalancing.CreateLoadBalancerFactories"/>). Mesh's resolver selects the
/// policy per service through the service config it returns.
/// </summary>
public sealed class MeshLoadBalancerFactory : LoadBalancerFactory
{
    private readonly LoadBalancerKind _kind;
    private readonly Func<string, BalancingOptions> _optionsForService;
    private readonly TimeProvider _timeProvider;
    private readonly BalancingMonitor? _monitor;

    /// <summary>Creates a factory for one kind of balancer.</summary>
    /// <param name="kind">The balancer this factory creates.</param>
    /// <param name="optionsForService">Returns a service's balancing options (outlier detection, preferred tag).</param>
    /// <param name="timeProvider">The clock for latency and ejection times.</param>
    /// <param name="monitor">Receives ejection events and serves diagnostics; optional.</param>
    public MeshLoadBalancerFactory(LoadBalancerKind kind, Func<string, BalancingOptions> optionsForService, TimeProvider? timeProvider = null, BalancingMonitor? monitor = null)
    {
        ArgumentNullException.ThrowIfNull(optionsForService);
        if (!Enum.IsDefined(kind))
        {
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown load balancer kind.");
        }

        _kind = kind;
        _optionsForService = optionsForService;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _monitor = monitor;
    }

    /// <summary>Gets the policy name: <c>mesh_round_robin</c> or <c>mesh_p2c</c>.</summary>
    public override string Name => PolicyName(_kind);

    /// <summary>Returns the gRPC policy name of <paramref name="kind"/>.</summary>
    /// <param name="kind">A balancer kind.</param>
    public static string PolicyName(LoadBalancerKind kind) =>
        kind == LoadBalancerKind.RoundRobin ? BalancingDefaults.RoundRobinPolicyName : BalancingDefaults.PowerOfTwoChoicesPolicyName;

    /// <inheritdoc />
    public override LoadBalancer Create(LoadBalancerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        // Mesh's resolver names the service in the policy's config; a policy chosen by hand gets default options.
        var serviceName = options.Configuration.TryGetValue(BalancingConstants.ServiceNameConfigKey, out var value) && value is string name ? name : "(unnamed)";
        var settings = value is string ? _optionsForService(serviceName) : new BalancingOptions();
        var logger = options.LoggerFactory.CreateLogger(typeof(MeshLoadBalancerFactory).Namespace!);
        var group = new EndpointGroup(serviceName, _kind, settings, _timeProvider, _monitor, logger);
        return new MeshBalancer(options.Controller, options.LoggerFactory, group);
    }
}
