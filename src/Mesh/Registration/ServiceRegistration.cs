using System.Collections.Immutable;

namespace Mesh.Registration;

/// <summary>Everything a registry needs to list this instance. Built from options by the registration service.</summary>
/// <param name="Id">A unique, stable instance id.</param>
/// <param name="Name">The logical service name.</param>
/// <param name="Address">The address other instances connect to.</param>
/// <param name="Port">The port other instances connect to.</param>
public sealed record ServiceRegistration(string Id, string Name, string Address, int Port)
{
    /// <summary>Gets the instance's tags.</summary>
    public ImmutableArray<string> Tags { get; init; } = [];

    /// <summary>Gets the instance's metadata.</summary>
    public ImmutableDictionary<string, string> Meta { get; init; } = ImmutableDictionary<string, string>.Empty;

    /// <summary>Gets how the registry decides the instance is healthy.</summary>
    public HealthCheckDefinition Check { get; init; } = HealthCheckDefinition.Ttl(TimeSpan.FromSeconds(15));

    /// <summary>Gets how long a critical instance stays listed before the registry removes it.</summary>
    public TimeSpan DeregisterCriticalServiceAfter { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Gets the id of the instance's health check.</summary>
    public string CheckId => "service:" + Id;
}
