namespace Mesh.Balancing.Internal;

/// <summary>
/// Round robin over the ready instances from a random starting point (so that many clients started together do not
/// all hit the first instance first). An ejected instance is skipped by taking the next turn, which keeps the
/// spread even over the rest.
/// </summary>
internal sealed class RoundRobinPicker : EndpointPicker
{
    private int _next;

    public RoundRobinPicker(EndpointState[] all, EndpointState[] preferred, int start)
        : base(all, preferred) => _next = start;

    protected override EndpointState ChooseAmongEjected() => All[Turn() % (uint)All.Length];

    protected override bool TryChoose(EndpointState[] candidates, out EndpointState chosen)
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

    public override string ToString() => $"round robin over {string.Join(", ", All.Select(e => e.ToString()))}";
}
