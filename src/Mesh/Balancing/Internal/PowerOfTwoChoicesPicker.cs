using Grpc.Net.Client.Balancer;
using Mesh.Telemetry.Internal;

namespace Mesh.Balancing.Internal;

/// <summary>
/// Power of two choices: draws two distinct instances at random and takes the one with the lower cost,
/// (peak-EWMA latency + ε) × (calls in flight + 1). Two random choices avoid the herd behaviour of always picking
/// the global minimum (every client piling onto the same "best" instance) at O(1) per pick.
/// </summary>
internal sealed class PowerOfTwoChoicesPicker : SubchannelPicker
{
    private readonly EndpointState[] _all;
    private readonly EndpointState[] _preferred;
    private readonly TimeProvider _time;

    public PowerOfTwoChoicesPicker(EndpointState[] all, EndpointState[] preferred, TimeProvider time)
    {
        _all = all;
        _preferred = preferred;
        _time = time;
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

        return TryChoose(_all, out var any) ? any : _all[Random.Shared.Next(_all.Length)];
    }

    private bool TryChoose(EndpointState[] candidates, out EndpointState chosen)
    {
        var count = candidates.Length;
        if (count == 1)
        {
            chosen = candidates[0];
            return !chosen.IsEjected;
        }

        for (var attempt = 0; attempt < BalancingConstants.PickAttempts; attempt++)
        {
            var first = Random.Shared.Next(count);
            var second = Random.Shared.Next(count - 1);
            if (second >= first)
            {
                second++;
            }

            var a = candidates[first];
            var b = candidates[second];
            if (a.IsEjected || b.IsEjected)
            {
                if (a.IsEjected && b.IsEjected)
                {
                    continue;
                }

                chosen = a.IsEjected ? b : a;
                return true;
            }

            var now = _time.GetTimestamp();
            chosen = a.Cost(now) <= b.Cost(now) ? a : b;
            return true;
        }

        // Most instances are ejected: a scan is cheaper than more random draws.
        foreach (var candidate in candidates)
        {
            if (!candidate.IsEjected)
            {
                chosen = candidate;
                return true;
            }
        }

        chosen = null!;
        return false;
    }

    public override string ToString() => $"power of two choices over {string.Join(", ", _all.Select(e => e.ToString()))}";
}
