using Grpc.Core;

namespace Mesh.Resilience;

/// <summary>Wraps an invoker in a service's call policy.</summary>
public static class MeshCallInvokerExtensions
{
    /// <summary>
    /// Returns an invoker that sends calls through <paramref name="invoker"/> under <paramref name="policy"/>, e.g.
    /// <c>new Orders.OrdersClient(channel.CreateCallInvoker().WithCallPolicy(ordersPolicy))</c>.
    /// </summary>
    /// <param name="invoker">The invoker that sends each attempt, typically a <c>GrpcChannel</c>'s.</param>
    /// <param name="policy">The policy of the service called; share one instance per service.</param>
    /// <param name="callContextSource">Finds the incoming call to inherit the deadline and cancellation of; none when null.</param>
    /// <returns>A <see cref="MeshCallInvoker"/>.</returns>
    public static CallInvoker WithCallPolicy(this CallInvoker invoker, ServiceCallPolicy policy, ICallContextSource? callContextSource = null) =>
        new MeshCallInvoker(invoker, policy, callContextSource);
}
