using Grpc.Net.Client.Balancer;
using Mesh.Telemetry.Internal;

namespace Mesh.Balancing.Internal;

/// <summary>
/// Round robin over the ready instances from a random starting point (so that many clients started together do not
/// all hit the first instance first). An ejected instance is skipped by taking the next turn, which keeps the
/// spread even over the rest.
/// </summary>
internal sealed class RoundRobinPicker : SubchannelPicker
{
    private readonly EndpointState[] _all;
    private readonly EndpointState[] _preferred;
    private int _next;

    public RoundRobinPicker(EndpointState[] all, EndpointState[] preferred, int start)
    {
        _all = all;
        _preferred = preferred;
        _next = start;
    }

    public override PickResult Pick(PickContext context)
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

        return TryChoose(_all, out var any) ? any : _all[Turn() % (uint)_all.Length];
    }

    private bool TryChoose(EndpointState[] candidates, out EndpointState chosen)
    {
        for (var i = 0; i < candidates.Length; i++)
        {
            chosen = candidates[Turn() % (uint)candidates.Length];
            if (!chosen.IsEjected)
            {
                return true;
            }
        }

        chosen = null!;
        return false;
    }

    private uint Turn() => (uint)Interlocked.Increment(ref _next);

    public override string ToString() => $"round robin over {string.Join(", ", _all.Select(e => e.ToString()))}";
}
