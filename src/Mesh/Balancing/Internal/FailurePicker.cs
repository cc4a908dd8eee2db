using Grpc.Core;
using Grpc.Net.Client.Balancer;

namespace Mesh.Balancing.Internal;

/// <summary>Fails every call with one status (gRPC's own error picker is internal).</summary>
internal sealed class FailurePicker : SubchannelPicker
{
    private readonly PickResult _result;

    public FailurePicker(Status status) => _result = PickResult.ForFailure(status);

    public override PickResult Pick(PickContext context) => _result;
}
