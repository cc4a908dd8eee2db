namespace Mesh.Testing.Consul.Internal;

/// <summary>
/// The blocking queries waiting for a change, by topic (<c>service:web</c>, <c>kv:app/config</c>, <c>catalog</c>).
/// Only used under <see cref="EmulatorState.Sync"/>: a change wakes (and unlists) the queries it satisfies before the
/// change returns, so a test that waits for the next park after a change never sees the released one.
/// </summary>
internal sealed class ParkedQueries
{
    private readonly List<ParkedQuery> _parked = [];
    private readonly List<(string Topic, TaskCompletionSource Signal)> _waiters = [];

    public int Count => _parked.Count;

    public static string ServiceTopic(string service) => "service:" + service;

    public static string KeyTopic(string key) => "kv:" + key;

    public const string CatalogTopic = "catalog";

    public ParkedQuery Park(string topic, Func<bool> ready)
    {
        var query = new ParkedQuery(topic, ready);
        _parked.Add(query);
        for (var i = _waiters.Count - 1; i >= 0; i--)
        {
            if (_waiters[i].Topic == topic)
            {
                _waiters[i].Signal.TrySetResult();
                _waiters.RemoveAt(i);
            }
        }

        return query;
    }

    public void Remove(ParkedQuery query) => _parked.Remove(query);

    /// <summary>Releases every parked query whose data moved past its index.</summary>
    public void WakeReady()
    {
        for (var i = _parked.Count - 1; i >= 0; i--)
        {
            var query = _parked[i];
            if (query.Ready())
            {
                _parked.RemoveAt(i);
                query.Wake();
            }
        }
    }

    /// <summary>Completes once a query on <paramref name="topic"/> is parked (at once if one already is).</summary>
    public Task WhenParked(string topic)
    {
        if (_parked.Exists(q => q.Topic == topic))
        {
            return Task.CompletedTask;
        }

        var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _waiters.Add((topic, signal));
        return signal.Task;
    }

    public void WakeAll()
    {
        foreach (var query in _parked)
        {
            query.Wake();
        }

        _parked.Clear();
    }
}

/// <summary>One parked blocking query.</summary>
internal sealed class ParkedQuery(string topic, Func<bool> ready)
{
    private readonly TaskCompletionSource _woken = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string Topic { get; } = topic;

    public Func<bool> Ready { get; } = ready;

    public Task Woken => _woken.Task;

    public void Wake() => _woken.TrySetResult();
}
