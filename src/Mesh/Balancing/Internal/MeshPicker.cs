using Grpc.Net.Client.Balancer;
using Mesh.Telemetry.Internal;

namespace Mesh.Balancing.Internal;

/// <summary>
/// What every Mesh picker shares: prefer the instances carrying the preferred tag, fall back to all of them, fall
/// back to an ejected one when every instance is ejected (ejection never leaves a service with nothing to call),
/// tell tracing where the attempt went, and rent the instance's call tracker. Subclasses only choose.
/// </summary>
internal abstract class MeshPicker : SubchannelPicker
{
    private readonly EndpointState[] _preferred;

    protected MeshPicker(EndpointState[] all, EndpointState[] preferred)
    {
        All = all;
        _preferred = preferred;
    }

    /// <summary>Gets the ready instances this picker chooses among.</summary>
    internal EndpointState[] All { get; }

    public sealed override PickResult Pick(PickContext context)
    {
        var chosen = Choose();
        // Tells the attempt being sent (if traced) where it went; a flag check when nothing listens.
        MeshActivities.RecordPick(chosen.Endpoint);
        return chosen.Rent();
    }

    internal EndpointState Choose()
    {
        if (_preferred.Length > 0 && TryChoose(_preferred, out var preferred))
        {
            return preferred;
        }

        return TryChoose(All, out var any) ? any : ChooseAmongEjected();
    }

    /// <summary>Chooses a non-ejected instance among <paramref name="candidates"/>, if there is one.</summary>
    protected abstract bool TryChoose(EndpointState[] candidates, out EndpointState chosen);

    /// <summary>Chooses when every instance is ejected.</summary>
    protected abstract EndpointState ChooseAmongEjected();
}
