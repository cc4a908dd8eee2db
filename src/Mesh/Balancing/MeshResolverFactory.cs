using System.Text.RegularExpressions;
using Grpc.Net.Client.Balancer;
using Grpc.Net.Client.Configuration;
using Mesh.Balancing.Internal;
using Mesh.Discovery;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Mesh.Balancing;

/// <summary>
/// Resolves <c>scheme:///service-name</c> channel addresses (<c>consul:///orders</c>, <c>mesh:///orders</c>) through
/// <see cref="IServiceDiscovery"/>: each channel follows the process's shared watch of the service. Register it in the
/// channel's <c>ServiceProvider</c> (see <see cref="MeshBalancing.CreateResolverFactories"/>).
/// </summary>
public sealed partial class MeshResolverFactory : ResolverFactory
{
    private readonly string _scheme;
    private readonly IServiceDiscovery _discovery;
    private readonly Func<string, BalancingOptions> _optionsForService;
    private readonly Func<string, ServiceQuery> _queryForService;
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates a factory for one URI scheme.</summary>
    /// <param name="scheme">The scheme it resolves, such as <c>mesh</c> or <c>consul</c>.</param>
    /// <param name="discovery">The process's discovery.</param>
    /// <param name="optionsForService">Returns a service's balancing options (balancer, resolve timeout).</param>
    /// <param name="timeProvider">The clock for the resolve timeout.</param>
    /// <param name="queryForService">
    /// Returns the discovery query of a service (tag, datacenter...); defaults to <see cref="ServiceQuery.For"/>.
    /// Equal queries share one watch with every other user of discovery.
    /// </param>
    public MeshResolverFactory(string scheme, IServiceDiscovery discovery, Func<string, BalancingOptions> optionsForService,
        TimeProvider? timeProvider = null, Func<string, ServiceQuery>? queryForService = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(scheme);
        ArgumentNullException.ThrowIfNull(discovery);
        ArgumentNullException.ThrowIfNull(optionsForService);
        _scheme = scheme;
        _discovery = discovery;
        _optionsForService = optionsForService;
        _queryForService = queryForService ?? ServiceQuery.For;
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Gets the URI scheme this factory resolves.</summary>
    public override string Name => _scheme;

    /// <inheritdoc />
    public override Resolver Create(ResolverOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var serviceName = ParseServiceName(options.Address, _scheme);
        var settings = _optionsForService(serviceName);
        var logger = options.LoggerFactory.CreateLogger(typeof(MeshResolverFactory).Namespace!);
        return new MeshResolver(serviceName, _queryForService(serviceName), _discovery, settings.ResolveTimeout,
            ServiceConfigFor(serviceName, settings, options), _timeProvider, logger);
    }

    /// <summary>Returns the service name of <c>scheme:///name</c>, or throws an error that shows the expected form.</summary>
    internal static string ParseServiceName(Uri address, string scheme)
    {
        var path = address.IsAbsoluteUri ? address.AbsolutePath : "";
        var name = path.StartsWith('/') ? path[1..] : path;
        if (!address.IsAbsoluteUri || address.Host.Length > 0 || address.Query.Length > 0 || address.Fragment.Length > 0 || !ServiceNamePattern().IsMatch(name))
        {
            throw new ArgumentException(
                $"'{address}' is not a Mesh service address. Use {scheme}:///<service-name> (three slashes, no host), where the name is letters, digits, '-', '_' or '.', for example {scheme}:///orders.",
                nameof(address));
        }

        return name;
    }

    /// <summary>
    /// Selects the service's balancer through the resolver's service config, unless the channel chose a policy itself,
    /// ignores resolver configs, or lacks the factory (gRPC would then fail every result).
    /// </summary>
    private static ServiceConfig? ServiceConfigFor(string serviceName, BalancingOptions settings, ResolverOptions options)
    {
        var policy = MeshLoadBalancerFactory.PolicyName(settings.LoadBalancer);
        var channelOptions = options.ChannelOptions;
        if (options.DisableServiceConfig
            || channelOptions.ServiceConfig?.LoadBalancingConfigs.Count > 0
            || channelOptions.ServiceProvider?.GetServices<LoadBalancerFactory>().Any(f => f.Name == policy) != true)
        {
            return null;
        }

        var config = new LoadBalancingConfig(policy);
        ((IDictionary<string, object>)config.Inner[policy])[BalancingConstants.ServiceNameConfigKey] = serviceName;
        return new ServiceConfig { LoadBalancingConfigs = { config } };
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]*$")]
    private static partial Regex ServiceNamePattern();
}
