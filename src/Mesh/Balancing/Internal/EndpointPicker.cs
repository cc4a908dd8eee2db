namespace Mesh.Balancing.Internal;

/// <summary>
/// The transport-neutral choice of an instance, which both front doors use (the library's through
/// <see cref="MeshPicker"/>, the sidecar's outbound door directly): prefer the instances carrying the preferred tag,
/// fall back to all of them, fall back to an ejected one when every instance is ejected (ejection never leaves a
/// service with nothing to call). Subclasses only choose.
/// </summary>
internal abstract class EndpointPicker
{
    private readonly EndpointState[] _preferred;

    protected EndpointPicker(EndpointState[] all, EndpointState[] preferred)
    {
        All = all;
        _preferred = preferred;
    }

    /// <summary>Gets the ready instances this picker chooses among.</summary>
    internal EndpointState[] All { get; }

    /// <summary>Gets those of <see cref="All"/> with the preferred tag (none when no tag is preferred).</summary>
    internal EndpointState[] Preferred => _preferred;

    /// <summary>Creates the picker of <paramref name="kind"/> over <paramref name="all"/>, preferring those with <paramref name="preferTag"/>.</summary>
    public static EndpointPicker Create(LoadBalancerKind kind, EndpointState[] all, string? preferTag, TimeProvider time)
    {
        EndpointState[] preferred = preferTag is null ? [] : [.. all.Where(s => s.HasTag(preferTag))];
        return kind == LoadBalancerKind.RoundRobin
            ? new RoundRobinPicker(all, preferred, all.Length == 0 ? 0 : Random.Shared.Next(all.Length))
            : new PowerOfTwoChoicesPicker(all, preferred, time);
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
