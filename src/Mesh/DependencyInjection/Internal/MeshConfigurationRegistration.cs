using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace Mesh.DependencyInjection.Internal;

/// <summary>
/// Where <see cref="MeshOptions"/> come from: the configuration given to <c>services.AddMesh(configuration)</c>, or,
/// when only <c>AddGrpcClient&lt;T&gt;().AddMesh(name)</c> was called, the container's own <see cref="IConfiguration"/>
/// (a host's), so a client-only app needs no other call.
/// </summary>
internal static class MeshConfigurationRegistration
{
    /// <summary>Binds the <c>Mesh</c> section of <paramref name="configuration"/>, re-bound on reload.</summary>
    public static void AddExplicit(IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton<ExplicitMeshConfiguration>();
        var section = configuration.GetSection(MeshOptions.SectionName);
        services.AddOptions<MeshOptions>().Configure<MeshConfigurationReporter>((options, reporter) => MeshConfigurationBinder.Bind(section, options, reporter));
        services.AddSingleton<IOptionsChangeTokenSource<MeshOptions>>(new ConfigurationChangeTokenSource<MeshOptions>(Options.DefaultName, section));
    }

    /// <summary>Marks that the app configured Mesh itself (from configuration or in code), so the container's configuration is not bound too.</summary>
    public static void AddCodeOnly(IServiceCollection services) => services.TryAddSingleton<ExplicitMeshConfiguration>();

    /// <summary>Binds the container's <see cref="IConfiguration"/> unless the app configured Mesh itself (checked when options are built, so call order does not matter).</summary>
    public static void AddFromContainer(IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(ContainerConfiguration)))
        {
            return;
        }

        services.AddSingleton<ContainerConfiguration>();
        services.AddSingleton<IConfigureOptions<MeshOptions>>(sp => new ConfigureNamedOptions<MeshOptions>(Options.DefaultName, options =>
        {
            if (ContainerSection(sp) is { } section)
            {
                MeshConfigurationBinder.Bind(section, options, sp.GetService<MeshConfigurationReporter>());
            }
        }));
        services.AddSingleton<IOptionsChangeTokenSource<MeshOptions>>(sp => new ContainerChangeTokenSource(sp));
    }

    private static IConfigurationSection? ContainerSection(IServiceProvider services) =>
        services.GetService<ExplicitMeshConfiguration>() is null && services.GetService<IConfiguration>() is { } configuration
            ? configuration.GetSection(MeshOptions.SectionName)
            : null;

    /// <summary>Registered by <c>services.AddMesh(...)</c>.</summary>
    private sealed class ExplicitMeshConfiguration;

    /// <summary>Registered once the container-configuration binding is.</summary>
    private sealed class ContainerConfiguration;

    /// <summary>Reloads follow the container's configuration when that is what was bound.</summary>
    private sealed class ContainerChangeTokenSource(IServiceProvider services) : IOptionsChangeTokenSource<MeshOptions>
    {
        public string Name => Options.DefaultName;

        public IChangeToken GetChangeToken() =>
            ContainerSection(services)?.GetReloadToken() ?? new CancellationChangeToken(CancellationToken.None);
    }
}
