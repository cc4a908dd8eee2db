using Mesh.Consul;

namespace Mesh.DependencyInjection.Internal;

/// <summary>Picks the registry: the configured one, else Consul when an address is configured, else Local.</summary>
internal static class RegistrySelector
{
    public static RegistryKind Resolve(MeshOptions options, MeshEnvironment environment) =>
        options.Registry
        ?? (!string.IsNullOrWhiteSpace(options.Consul.Address) || !string.IsNullOrWhiteSpace(environment.Read(ConsulDefaults.AddressVariable))
            ? RegistryKind.Consul
            : RegistryKind.Local);
}
