using Mesh.Resilience.Internal;

namespace Mesh.Sidecar.Outbound.Internal;

/// <summary>What every attempt of one forwarded call shares: the service's policy engine, the settled method policy and the call's deadline.</summary>
internal sealed class OutboundCall(string serviceName, bool isGrpc, CallPolicyEngine engine, MethodPolicy method, CallScope scope)
{
    public string ServiceName { get; } = serviceName;

    public bool IsGrpc { get; } = isGrpc;

    public CallPolicyEngine Engine { get; } = engine;

    public MethodPolicy Method { get; } = method;

    public CallScope Scope { get; } = scope;

    /// <summary>Gets the time left before the call's deadline; null when it has none.</summary>
    public TimeSpan? Remaining => Scope.Remaining(Engine.TimeProvider) is var left && left != TimeSpan.MaxValue ? left : null;
}
