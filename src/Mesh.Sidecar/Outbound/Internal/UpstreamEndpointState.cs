using Mesh.Balancing.Internal;
using Mesh.Discovery;

namespace Mesh.Sidecar.Outbound.Internal;

/// <summary>The outbound door's view of an instance: the transport-neutral <see cref="EndpointState"/> plus the forwarder's destination for it.</summary>
internal sealed class UpstreamEndpointState(ServiceEndpoint endpoint, EndpointGroup group, double initialLatency)
    : EndpointState(endpoint, group, initialLatency)
{
    /// <summary>
    /// Gets YARP's destination prefix, <c>http://host:port/</c>, made once rather than per attempt: the state is kept
    /// per instance id and authority (<see cref="UpstreamBalancer"/>), so the authority never changes under it.
    /// </summary>
    public string Destination { get; } = "http://" + endpoint.Authority + "/";
}
