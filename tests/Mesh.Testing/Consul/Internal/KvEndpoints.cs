using System.Text;

namespace Mesh.Testing.Consul.Internal;

/// <summary><c>/v1/kv/&lt;key&gt;</c>: GET (one key, <c>?recurse</c>, <c>?keys</c>, <c>?raw</c>), PUT (<c>?cas</c>, <c>?flags</c>) and DELETE.</summary>
internal static class KvEndpoints
{
    /// <summary>Consul's limit on a value: 512 KiB.</summary>
    private const int MaxValueBytes = 512 * 1024;

    public static async Task GetAsync(EmulatorRequestContext request, string key)
    {
        request.RequireOwnDatacenter();
        var kv = request.State.Kv;
        var recurse = request.Flag("recurse");
        var keys = request.Flag("keys");
        if (recurse || keys)
        {
            await BlockingQuery.WaitAsync(request, ParkedQueries.KeyTopic(key), () => kv.PrefixIndex(key)).ConfigureAwait(false);
        }
        else
        {
            // A single-key read wakes when that key changes but reports the whole table's index, as Consul does.
            await BlockingQuery.WaitAsync(request, ParkedQueries.KeyTopic(key), () => kv.TableIndex, () => kv.KeyIndex(key)).ConfigureAwait(false);
        }

        ulong index;
        List<KvEntry> entries;
        lock (request.State.Sync)
        {
            index = recurse || keys ? kv.PrefixIndex(key) : kv.TableIndex;
            entries = recurse || keys ? [.. kv.List(key)] : kv.Get(key) is { } entry ? [entry] : [];
        }

        if (entries.Count == 0)
        {
            await request.NotFoundAsync(index).ConfigureAwait(false);
            return;
        }

        if (keys)
        {
            var separator = request.Value("separator");
            var names = entries.Select(e => Truncate(e.Key, key.Length, separator)).Distinct().ToList();
            await request.JsonAsync(EmulatorJson.Write(request.Pretty, w => EmulatorJsonArray(w, names)), index, withConsistency: false).ConfigureAwait(false);
            return;
        }

        if (request.Flag("raw") && !recurse)
        {
            await request.BodyAsync(200, "text/plain; charset=utf-8", entries[0].Value ?? []).ConfigureAwait(false);
            return;
        }

        var body = EmulatorJson.Write(request.Pretty, w =>
        {
            w.WriteStartArray();
            entries.ForEach(e => EmulatorJson.KvPair(w, e));
            w.WriteEndArray();
        });
        await request.JsonAsync(body, index, withConsistency: false).ConfigureAwait(false);
    }

    public static async Task PutAsync(EmulatorRequestContext request, string key)
    {
        if (key.Length == 0)
        {
            throw EmulatorHttpException.BadRequest("Missing key name");
        }

        var value = await request.ReadBodyAsync().ConfigureAwait(false);
        if (value.Length > MaxValueBytes)
        {
            throw new EmulatorHttpException(413, $"Request body({value.Length} bytes) too large, max size: {MaxValueBytes} bytes. See https://www.consul.io/docs/agent/options.html#kv_max_value_size.");
        }

        var cas = request.UnsignedValue("cas", "Invalid cas index");
        var flags = request.UnsignedValue("flags", "Invalid flags") ?? 0;
        bool written;
        lock (request.State.Sync)
        {
            written = request.State.Kv.Put(key, value, flags, cas);
        }

        await request.JsonAsync(Encoding.UTF8.GetBytes(written ? "true" : "false")).ConfigureAwait(false);
    }

    public static async Task DeleteAsync(EmulatorRequestContext request, string key)
    {
        var cas = request.UnsignedValue("cas", "Invalid cas index");
        bool deleted;
        lock (request.State.Sync)
        {
            deleted = request.State.Kv.Delete(key, request.Flag("recurse"), cas);
        }

        await request.JsonAsync(Encoding.UTF8.GetBytes(deleted ? "true" : "false")).ConfigureAwait(false);
    }

    /// <summary>With a separator, a key lists only up to the first separator after the prefix (like a directory).</summary>
    private static string Truncate(string key, int prefixLength, string? separator)
    {
        if (string.IsNullOrEmpty(separator))
        {
            return key;
        }

        var at = key.IndexOf(separator, prefixLength, StringComparison.Ordinal);
        return at < 0 ? key : key[..(at + separator.Length)];
    }

    private static void EmulatorJsonArray(System.Text.Json.Utf8JsonWriter w, List<string> values)
    {
        w.WriteStartArray();
        values.ForEach(w.WriteStringValue);
        w.WriteEndArray();
    }
}
