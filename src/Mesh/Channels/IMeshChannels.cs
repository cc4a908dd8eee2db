using Grpc.Core;
using Grpc.Net.Client;
using Mesh.Resilience;

namespace Mesh.Channels;

/// <summary>
/// Gives gRPC channels and call invokers for services by name: one shared channel per service (connections and
/// balancer state are per channel, so sharing is what makes balancing and ejection see all the traffic) and
/// invokers that apply the service's call policy.
/// </summary>
/// <example>
/// <code>
/// var orders = new Orders.OrdersClient(channels.CreateCallInvoker("orders"));
/// </code>
/// </example>
public interface IMeshChannels
{
    /// <summary>
    /// Returns the process's channel for <paramref name="serviceName"/> (<c>mesh:///name</c>, or <c>consul:///name</c>
    /// with <paramref name="scheme"/> <c>consul</c>): balanced over discovery, without the call policy.
    /// </summary>
    /// <param name="serviceName">The logical service name.</param>
    /// <param name="scheme"><c>mesh</c> (the configured registry) or <c>consul</c> (always Consul).</param>
    GrpcChannel GetChannel(string serviceName, string scheme = "mesh");

    /// <summary>Returns the shared call policy (budget, breaker) of <paramref name="serviceName"/>.</summary>
    /// <param name="serviceName">The logical service name.</param>
    ServiceCallPolicy GetPolicy(string serviceName);

    /// <summary>
    /// Returns a call invoker for <paramref name="serviceName"/>: the shared channel with the service's call policy
    /// (deadlines, retries under the budget, hedging, circuit breaker), inheriting the deadline and cancellation of
    /// the incoming gRPC call being handled, if any.
    /// </summary>
    /// <param name="serviceName">The logical service name.</param>
    /// <param name="scheme"><c>mesh</c> (the configured registry) or <c>consul</c> (always Consul).</param>
    CallInvoker CreateCallInvoker(string serviceName, string scheme = "mesh");
}
