using Grpc.Net.Client.Balancer;

namespace Mesh.Balancing.Internal;

/// <summary>
/// Stands between gRPC's <see cref="SubchannelsLoadBalancer"/> and the channel, so that <see cref="MeshBalancer"/>
/// sees every subchannel gRPC creates and has the last word on every state published: while discovery lists no
/// instance, whatever the base class would publish (a queueing picker while a dropped connection reconnects, "Error
/// connecting to subchannel" after) becomes "no healthy instances".
/// </summary>
internal sealed class BalancerGate(IChannelControlHelper channel) : IChannelControlHelper
{
    private MeshBalancer? _owner;

    /// <summary>Gets gRPC's own controller.</summary>
    public IChannelControlHelper Channel { get; } = channel;

    /// <summary>Connects the balancer, which cannot pass itself to its base constructor.</summary>
    public void Attach(MeshBalancer owner) => _owner = owner;

    public Subchannel CreateSubchannel(SubchannelOptions options)
    {
        var subchannel = Channel.CreateSubchannel(options);
        _owner!.Track(subchannel);
        return subchannel;
    }

    public void UpdateState(BalancerState state) => _owner!.Publish(state, fromBase: true);

    public void RefreshResolver() => Channel.RefreshResolver();
}
