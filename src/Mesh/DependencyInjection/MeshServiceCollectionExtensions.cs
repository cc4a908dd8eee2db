using System.Diagnostics.Metrics;
using Grpc.Net.Client.Balancer;
using Mesh;
using Mesh.Balancing;
using Mesh.Channels;
using Mesh.Channels.Internal;
using Mesh.Consul;
using Mesh.Consul.Internal;
using Mesh.DependencyInjection.Internal;
using Mesh.Discovery;
using Mesh.Discovery.Internal;
using Mesh.Registration;
using Mesh.Registration.Internal;
using Mesh.Registries.Consul;
using Mesh.Registries.Local;
using Mesh.Registries.Static;
using Mesh.Resilience;
using Mesh.Telemetry.Internal;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds Mesh to a service collection.</summary>
public static class MeshServiceCollectionExtensions
{
    /// <summary>
    /// Adds Mesh configured from the <c>Mesh</c> section of <paramref name="configuration"/>: the registry (Consul,
    /// Local or Static), shared discovery (<see cref="IServiceDiscovery"/>), the Consul client, and this instance's
    /// registration when <c>Mesh:Registration:ServiceName</c> is set. Options are validated at start.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The app's configuration root (the <c>Mesh</c> section is read from it).</param>
    /// <param name="configure">Changes applied after binding.</param>
    public static IServiceCollection AddMesh(this IServiceCollection services, IConfiguration configuration, Action<MeshOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        MeshConfigurationRegistration.AddExplicit(services, configuration);
        if (configure is not null)
        {
            services.Configure(configure);
        }

        return services.AddMeshCore();
    }

    /// <summary>Adds Mesh configured in code. See <see cref="AddMesh(IServiceCollection, IConfiguration, Action{MeshOptions}?)"/>.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the options.</param>
    public static IServiceCollection AddMesh(this IServiceCollection services, Action<MeshOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        MeshConfigurationRegistration.AddCodeOnly(services);
        services.AddOptions<MeshOptions>().Configure(configure);
        return services.AddMeshCore();
    }

    /// <summary>
    /// What <c>AddGrpcClient&lt;T&gt;().AddMesh(name)</c> brings when the app did not call <c>AddMesh</c>: everything,
    /// configured from the container's <see cref="IConfiguration"/> (the host's), or the defaults when it has none.
    /// </summary>
    internal static IServiceCollection AddMeshForClient(this IServiceCollection services)
    {
        MeshConfigurationRegistration.AddFromContainer(services);
        return services.AddMeshCore();
    }

    private static IServiceCollection AddMeshCore(this IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(MeshMarker)))
        {
            return services;
        }

        services.AddSingleton<MeshMarker>();
        services.AddLogging();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(MeshEnvironment.Process);
        services.AddMetrics();
        services.TryAddSingleton(sp => new MeshMetrics(sp.GetRequiredService<IMeterFactory>()) { TimeProvider = sp.GetRequiredService<TimeProvider>() });
        services.AddOptions<MeshOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MeshOptions>, MeshOptionsValidator>());
        services.TryAddSingleton<MeshConfigurationReporter>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<HostOptions>, HostShutdownTimeout>());

        services.TryAddSingleton(sp => ConsulSettings.Resolve(Options(sp).Consul, sp.GetRequiredService<MeshEnvironment>().Read));
        services.AddHttpClient(ConsulDefaults.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(sp => ConsulHttpHandlerFactory.Create(sp.GetRequiredService<ConsulSettings>()));
        services.TryAddSingleton(sp => new ConsulClient(
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(ConsulDefaults.HttpClientName),
            sp.GetRequiredService<ConsulSettings>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<ConsulClient>>()));

        services.TryAddSingleton(sp => new ConsulRegistry(
            sp.GetRequiredService<ConsulClient>(), Options(sp).Discovery, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<ConsulRegistry>>()));
        services.TryAddSingleton(sp => new LocalRegistry(
            Options(sp).Local, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<LocalRegistry>>()));
        services.TryAddSingleton<StaticRegistry>();
        services.TryAddSingleton<IServiceRegistrar>(sp => (IServiceRegistrar)SelectRegistry(sp));
        services.TryAddSingleton<IServiceWatcher>(sp => (IServiceWatcher)SelectRegistry(sp));

        services.TryAddSingleton<ServiceDiscovery>();
        services.TryAddSingleton<IServiceDiscovery>(sp => sp.GetRequiredService<ServiceDiscovery>());

        AddChannels(services);

        services.TryAddSingleton(sp => new RegistrationHealthSource(sp.GetService<HealthCheckService>()));
        services.TryAddSingleton<RegistrationService>();
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<RegistrationService>());
        return services;
    }

    /// <summary>The library front door: resolvers for <c>mesh:///</c> and <c>consul:///</c>, balancers, policies, channels.</summary>
    private static void AddChannels(IServiceCollection services)
    {
        services.AddHttpContextAccessor();
        services.TryAddSingleton<ICallContextSource, ServerCallContextSource>();
        services.TryAddSingleton<BalancingMonitor>();
        // consul:/// always means Consul: when the configured registry is another one, it gets a discovery of its own.
        services.TryAddKeyedSingleton<IServiceDiscovery>(BalancingDefaults.ConsulScheme, (sp, _) =>
            SelectedRegistry(sp) == RegistryKind.Consul
                ? sp.GetRequiredService<IServiceDiscovery>()
                : new ServiceDiscovery(sp.GetRequiredService<ConsulRegistry>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<ServiceDiscovery>>(), sp.GetService<MeshMetrics>()));
        services.AddSingleton<ResolverFactory>(sp => new MeshResolverFactory(
            BalancingDefaults.MeshScheme, sp.GetRequiredService<IServiceDiscovery>(), BalancingFor(sp), sp.GetRequiredService<TimeProvider>(), name => QueryFor(Options(sp), name)));
        services.AddSingleton<ResolverFactory>(sp => new MeshResolverFactory(
            BalancingDefaults.ConsulScheme, sp.GetRequiredKeyedService<IServiceDiscovery>(BalancingDefaults.ConsulScheme), BalancingFor(sp), sp.GetRequiredService<TimeProvider>(), name => QueryFor(Options(sp), name)));
        foreach (var kind in new[] { LoadBalancerKind.PowerOfTwoChoices, LoadBalancerKind.RoundRobin })
        {
            services.AddSingleton<LoadBalancerFactory>(sp => new MeshLoadBalancerFactory(kind, BalancingFor(sp), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<BalancingMonitor>()));
        }

        services.TryAddSingleton<MeshChannels>(sp =>
        {
            // Call metrics ride on the policy observer, ahead of the app's own observer (if any), which still hears everything.
            var metrics = sp.GetRequiredService<MeshMetrics>();
            metrics.TrackBalancing(sp.GetRequiredService<BalancingMonitor>());
            return new MeshChannels(
                sp,
                name => Options(sp).Services.TryGetValue(name, out var service) ? service.Policy : new CallPolicyOptions(),
                sp.GetRequiredService<TimeProvider>(),
                new MeshCallObserver(metrics, sp.GetService<ICallPolicyObserver>(), sp.GetRequiredService<ILoggerFactory>().CreateLogger(MeshCallObserver.LogCategory)),
                sp.GetService<ICallContextSource>(),
                metrics);
        });
        services.TryAddSingleton<IMeshChannels>(sp => sp.GetRequiredService<MeshChannels>());
    }

    private static Func<string, BalancingOptions> BalancingFor(IServiceProvider services)
    {
        var options = Options(services);
        return name => options.Services.TryGetValue(name, out var service) ? service.Balancing : new BalancingOptions();
    }

    /// <summary>The query a channel watches: the service's configured filters, so it shares the watch every other user of the service has.</summary>
    internal static ServiceQuery QueryFor(MeshOptions options, string serviceName)
    {
        var query = ServiceQuery.For(serviceName) with { IncludeWarning = options.Discovery.IncludeWarning };
        return options.Services.TryGetValue(serviceName, out var service)
            ? query with
            {
                Tag = service.Tag,
                Datacenter = service.Datacenter,
                IncludeWarning = service.IncludeWarning ?? options.Discovery.IncludeWarning,
                Filter = service.Filter,
            }
            : query;
    }

    private static RegistryKind SelectedRegistry(IServiceProvider services) =>
        RegistrySelector.Resolve(Options(services), services.GetRequiredService<MeshEnvironment>());

    private static object SelectRegistry(IServiceProvider services) =>
        SelectedRegistry(services) switch
        {
            RegistryKind.Consul => services.GetRequiredService<ConsulRegistry>(),
            RegistryKind.Static => services.GetRequiredService<StaticRegistry>(),
            _ => services.GetRequiredService<LocalRegistry>(),
        };

    private static MeshOptions Options(IServiceProvider services) => services.GetRequiredService<IOptions<MeshOptions>>().Value;

    /// <summary>Marks that Mesh's services were added, so a second AddMesh only adds configuration.</summary>
    private sealed class MeshMarker;
}
