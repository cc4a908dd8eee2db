namespace Mesh.Balancing.Internal;

/// <summary>
/// Power of two choices: draws two distinct instances at random and takes the one with the lower cost,
/// (peak-EWMA latency + ε) × (calls in flight + 1). Two random choices avoid the herd behaviour of always picking
/// the global minimum (every client piling onto the same "best" instance) at O(1) per pick.
/// </summary>
internal sealed class PowerOfTwoChoicesPicker : EndpointPicker
{
    private readonly TimeProvider _time;

    public PowerOfTwoChoicesPicker(EndpointState[] all, EndpointState[] preferred, TimeProvider time)
        : base(all, preferred) => _time = time;

    protected override EndpointState ChooseAmongEjected() => All[Random.Shared.Next(All.Length)];

    protected override bool TryChoose(EndpointState[] candidates, out EndpointState chosen)
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

    public override string ToString() => $"power of two choices over {string.Join(", ", All.Select(e => e.ToString()))}";
}
