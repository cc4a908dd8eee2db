using System.Diagnostics.CodeAnalysis;
using Mesh.Discovery;

namespace Mesh.Balancing.Internal;

/// <summary>
/// The <typeparamref name="TState"/> of each instance a balancer knows, keyed by <typeparamref name="TKey"/>, kept across
/// discovery updates and pickers (so latency, calls in flight and ejection survive them). Both front doors follow
/// discovery with it: the library's gRPC balancer (by address, <see cref="EndpointStateMap"/>) and the sidecar's
/// outbound door (by instance). Not thread-safe: each owner calls it under its own lock.
/// </summary>
internal sealed class EndpointStateSet<TKey, TState>(EndpointGroup group, Func<ServiceEndpoint, double, TState> create)
    where TKey : notnull
    where TState : EndpointState
{
    private readonly Dictionary<TKey, TState> _states = [];

    /// <summary>Gets the states, in no particular order.</summary>
    public IEnumerable<TState> All => _states.Values;

    /// <summary>
    /// Follows discovery's list: new instances get a state, known ones their latest <see cref="ServiceEndpoint"/>,
    /// dropped ones lose theirs (and their outlier bookkeeping); the group learns its members.
    /// </summary>
    public void Sync<TSource>(IReadOnlyList<TSource> sources, Func<TSource, TKey> keyOf, Func<TSource, ServiceEndpoint> endpointOf)
    {
        var seen = new HashSet<TKey>();
        var now = group.Time.GetTimestamp();
        // Newcomers start at the incumbents' average latency, so P2C does not stampede onto a cold instance.
        var averageLatency = _states.Count == 0 ? 0 : _states.Values.Average(s => s.Latency.Estimate(now));
        foreach (var source in sources)
        {
            var key = keyOf(source);
            var endpoint = endpointOf(source);
            seen.Add(key);
            if (_states.TryGetValue(key, out var existing))
            {
                existing.Endpoint = endpoint;
            }
            else
            {
                _states.Add(key, create(endpoint, averageLatency));
            }
        }

        foreach (var (key, state) in _states.Where(kv => !seen.Contains(kv.Key)).ToList())
        {
            _states.Remove(key);
            group.Detector.Detach(state);
        }

        group.SetMembers([.. _states.Values]);
    }

    /// <summary>Gets the state under <paramref name="key"/>, if there is one.</summary>
    public bool TryGet(TKey key, [MaybeNullWhen(false)] out TState state) => _states.TryGetValue(key, out state);

    /// <summary>Adds a state (at no latency) for an instance the last update did not mention.</summary>
    public TState Add(TKey key, ServiceEndpoint endpoint)
    {
        var state = create(endpoint, 0);
        _states.Add(key, state);
        group.SetMembers([.. _states.Values]);
        return state;
    }
}
