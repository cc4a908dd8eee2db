using System.Collections.Immutable;
using Mesh.Consul.Models;
using Mesh.Discovery;
using Mesh.Registration;

namespace Mesh.Registries.Consul;

/// <summary>Translates between Mesh's registry types and Consul's wire types.</summary>
internal static class ConsulRegistrationMapper
{
    public static AgentServiceRegistration ToAgentRegistration(ServiceRegistration registration)
    {
        ArgumentNullException.ThrowIfNull(registration);
        var check = registration.Check;
        var agentCheck = new AgentServiceCheck
        {
            CheckId = registration.CheckId,
            Name = $"{registration.Name} {check.Kind.ToString().ToUpperInvariant()}",
            DeregisterCriticalServiceAfter = registration.DeregisterCriticalServiceAfter,
        };
        switch (check.Kind)
        {
            case HealthCheckKind.Ttl:
                agentCheck.Ttl = check.TimeToLive;
                // Registration happens once the app has started, so it is ready: start passing instead of
                // waiting a heartbeat in critical.
                agentCheck.Status = HealthStatus.Passing;
                break;
            case HealthCheckKind.Http:
                agentCheck.Http = check.Target;
                agentCheck.Interval = check.Interval;
                agentCheck.Timeout = check.Timeout;
                break;
            case HealthCheckKind.Grpc:
                agentCheck.Grpc = check.Target;
                agentCheck.GrpcUseTls = check.UseTls;
                agentCheck.Interval = check.Interval;
                agentCheck.Timeout = check.Timeout;
                break;
        }

        return new AgentServiceRegistration
        {
            Id = registration.Id,
            Name = registration.Name,
            Tags = registration.Tags.IsDefaultOrEmpty ? null : registration.Tags,
            Address = registration.Address,
            Port = registration.Port,
            Meta = registration.Meta.IsEmpty ? null : registration.Meta,
            Check = agentCheck,
        };
    }

    public static string ToStatus(EndpointHealth health) => health switch
    {
        EndpointHealth.Passing => HealthStatus.Passing,
        EndpointHealth.Warning => HealthStatus.Warning,
        _ => HealthStatus.Critical,
    };

    public static EndpointHealth ToHealth(string status) => status switch
    {
        HealthStatus.Passing => EndpointHealth.Passing,
        HealthStatus.Warning => EndpointHealth.Warning,
        _ => EndpointHealth.Critical,
    };

    public static ServiceEndpoint ToEndpoint(ServiceEntry entry) =>
        new(entry.Service.Id, entry.Service.Service, entry.EffectiveAddress, entry.Service.Port)
        {
            Tags = entry.Service.Tags is { } tags ? [.. tags] : [],
            Meta = entry.Service.Meta is { Count: > 0 } meta ? meta.ToImmutableDictionary(StringComparer.Ordinal) : ImmutableDictionary<string, string>.Empty,
            Health = ToHealth(entry.AggregatedStatus),
            Datacenter = entry.Node.Datacenter,
        };
}
