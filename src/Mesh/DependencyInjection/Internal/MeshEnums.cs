using Grpc.Core;
using Mesh.Balancing;
using Mesh.Registration;

namespace Mesh.DependencyInjection.Internal;

/// <summary>
/// Every enum Mesh reads from configuration (relative to the <c>Mesh</c> section; <c>*</c> is a service, method or
/// list index), so a bad value is reported with the names the key accepts instead of the binder's bare type name.
/// </summary>
internal static class MeshEnums
{
    private const string Policy = "Services:*:Policy";

    /// <summary>Gets the enum keys.</summary>
    public static IReadOnlyList<EnumSetting> Settings { get; } =
    [
        EnumSetting.For<RegistryKind>("Registry"),
        EnumSetting.For<HealthCheckKind>("Registration:Check"),
        EnumSetting.For<LoadBalancerKind>("Services:*:Balancing:LoadBalancer"),
        EnumSetting.For<StatusCode>("Services:*:Balancing:OutlierDetection:FailureStatusCodes:*"),
        EnumSetting.For<StatusCode>($"{Policy}:Retry:RetriableStatusCodes:*"),
        EnumSetting.For<StatusCode>($"{Policy}:Retry:IdempotentStatusCodes:*"),
        EnumSetting.For<StatusCode>($"{Policy}:CircuitBreaker:FailureStatusCodes:*"),
        EnumSetting.For<StatusCode>($"{Policy}:Methods:*:Retry:RetriableStatusCodes:*"),
        EnumSetting.For<StatusCode>($"{Policy}:Methods:*:Retry:IdempotentStatusCodes:*"),
    ];
}
