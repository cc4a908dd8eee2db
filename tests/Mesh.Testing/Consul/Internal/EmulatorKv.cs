namespace Mesh.Testing.Consul.Internal;

/// <summary>
/// The key/value store, sharing the state's lock and Raft index. Deleted keys leave tombstones so that the index of a
/// prefix moves forward when a key under it disappears, as Consul's graveyard does.
/// </summary>
internal sealed class EmulatorKv(EmulatorState state)
{
    private readonly SortedDictionary<string, KvEntry> _entries = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ulong> _tombstones = new(StringComparer.Ordinal);
    private ulong _tableIndex;

    /// <summary>The index of the whole KV table (what a single-key read answers in <c>X-Consul-Index</c>).</summary>
    public ulong TableIndex => _tableIndex;

    public KvEntry? Get(string key) => _entries.GetValueOrDefault(key);

    public IEnumerable<KvEntry> List(string prefix) => _entries.Values.Where(e => e.Key.StartsWith(prefix, StringComparison.Ordinal));

    /// <summary>The last change of one key (its write or its deletion): what wakes a blocking read of it.</summary>
    public ulong KeyIndex(string key) => Get(key)?.ModifyIndex ?? _tombstones.GetValueOrDefault(key);

    /// <summary>The index of a <c>?recurse</c>/<c>?keys</c> read: the newest change under the prefix, else the table's.</summary>
    public ulong PrefixIndex(string prefix)
    {
        if (prefix.Length == 0)
        {
            return _tableIndex;
        }

        var index = List(prefix).Select(e => e.ModifyIndex)
            .Concat(_tombstones.Where(t => t.Key.StartsWith(prefix, StringComparison.Ordinal)).Select(t => t.Value))
            .DefaultIfEmpty(0ul).Max();
        return index == 0 ? _tableIndex : index;
    }

    /// <summary>Writes a key; with <paramref name="cas"/> only if its ModifyIndex still equals it (0: only if absent).</summary>
    public bool Put(string key, byte[] value, ulong flags, ulong? cas)
    {
        var existing = Get(key);
        if (cas is { } expected && (existing?.ModifyIndex ?? 0) != expected)
        {
            return false;
        }

        var index = state.NextIndex();
        _entries[key] = new KvEntry(key, value.Length == 0 ? null : value, flags, existing?.LockIndex ?? 0, existing?.CreateIndex ?? index, index);
        _tombstones.Remove(key);
        Changed(index);
        return true;
    }

    /// <summary>Deletes a key or a prefix; with <paramref name="cas"/> only if the key's ModifyIndex equals it.</summary>
    public bool Delete(string key, bool recurse, ulong? cas)
    {
        if (!recurse && cas is { } expected && Get(key) is { } current && current.ModifyIndex != expected)
        {
            return false;
        }

        var doomed = recurse ? List(key).Select(e => e.Key).ToList() : _entries.ContainsKey(key) ? [key] : [];
        if (doomed.Count == 0)
        {
            return true; // nothing to delete is success, with no write
        }

        var index = state.NextIndex();
        foreach (var doomedKey in doomed)
        {
            _entries.Remove(doomedKey);
            _tombstones[doomedKey] = index;
        }

        Changed(index);
        return true;
    }

    public void Clear()
    {
        _entries.Clear();
        _tombstones.Clear();
        _tableIndex = 0;
    }

    private void Changed(ulong index)
    {
        _tableIndex = index;
        state.Parked.WakeReady();
    }
}
