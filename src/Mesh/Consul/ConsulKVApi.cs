using System.Globalization;
using Mesh.Consul.Internal;
using Mesh.Consul.Models;

namespace Mesh.Consul;

/// <summary>The key/value store (<c>/v1/kv/*</c>), with check-and-set.</summary>
public sealed class ConsulKVApi
{
    private readonly ConsulTransport _transport;

    internal ConsulKVApi(ConsulTransport transport) => _transport = transport;

    /// <summary>Reads one key; the value is <see langword="null"/> when the key does not exist.</summary>
    /// <param name="key">The key.</param>
    /// <param name="options">Index (to block for a change), wait and datacenter.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<ConsulResponse<KVPair?>> GetAsync(string key, ConsulQueryOptions? options = null, CancellationToken cancellationToken = default)
    {
        var response = await _transport.GetAsync(KeyPath(key), options ?? ConsulQueryOptions.Default,
            ConsulJsonContext.Default.KVPairArray, cancellationToken, static () => []).ConfigureAwait(false);
        return new ConsulResponse<KVPair?>(response.Value.FirstOrDefault(), response.Index, response.KnownLeader, response.LastContact);
    }

    /// <summary>Reads every key under a prefix (<c>?recurse</c>); empty when there is none.</summary>
    /// <param name="prefix">The prefix.</param>
    /// <param name="options">Index, wait and datacenter.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task<ConsulResponse<KVPair[]>> ListAsync(string prefix, ConsulQueryOptions? options = null, CancellationToken cancellationToken = default) =>
        _transport.GetAsync(KeyPath(prefix).AddFlag("recurse", true), options ?? ConsulQueryOptions.Default,
            ConsulJsonContext.Default.KVPairArray, cancellationToken, static () => []);

    /// <summary>Lists the keys under a prefix (<c>?keys</c>), optionally only up to <paramref name="separator"/>.</summary>
    /// <param name="prefix">The prefix.</param>
    /// <param name="separator">Stop listing at this separator, like a directory listing.</param>
    /// <param name="options">Index, wait and datacenter.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task<ConsulResponse<string[]>> KeysAsync(string prefix, string? separator = null, ConsulQueryOptions? options = null, CancellationToken cancellationToken = default) =>
        _transport.GetAsync(KeyPath(prefix).AddFlag("keys", true).Add("separator", separator), options ?? ConsulQueryOptions.Default,
            ConsulJsonContext.Default.StringArray, cancellationToken, static () => []);

    /// <summary>
    /// Writes a key. With <paramref name="casIndex"/> the write happens only if the key's ModifyIndex still equals it
    /// (0: only if the key does not exist).
    /// </summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The value.</param>
    /// <param name="casIndex">The check-and-set index, or <see langword="null"/> for an unconditional write.</param>
    /// <param name="flags">Opaque flags stored with the key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><see langword="false"/> when the check-and-set failed.</returns>
    public async Task<bool> PutAsync(string key, ReadOnlyMemory<byte> value, ulong? casIndex = null, ulong? flags = null, CancellationToken cancellationToken = default)
    {
        var path = KeyPath(key).Add("cas", casIndex).Add("flags", flags);
        var body = await _transport.SendAsync(HttpMethod.Put, path, new ReadOnlyMemoryContent(value), cancellationToken).ConfigureAwait(false);
        return ParseBool(body);
    }

    /// <summary>Deletes a key (or, with <paramref name="recurse"/>, every key under it).</summary>
    /// <param name="key">The key or prefix.</param>
    /// <param name="casIndex">Delete only if the key's ModifyIndex still equals it.</param>
    /// <param name="recurse">Delete the whole prefix.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><see langword="false"/> when the check-and-set failed.</returns>
    public async Task<bool> DeleteAsync(string key, ulong? casIndex = null, bool recurse = false, CancellationToken cancellationToken = default)
    {
        var path = KeyPath(key).Add("cas", casIndex).AddFlag("recurse", recurse);
        var body = await _transport.SendAsync(HttpMethod.Delete, path, null, cancellationToken).ConfigureAwait(false);
        return ParseBool(body);
    }

    private static ConsulQueryString KeyPath(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return new ConsulQueryString("v1/kv/" + ConsulQueryString.EscapePath(key.TrimStart('/')));
    }

    private static bool ParseBool(string body) =>
        bool.TryParse(body.Trim(), out var result) ? result
            : throw new ConsulException(string.Create(CultureInfo.InvariantCulture, $"Consul answered a KV write with '{body.Trim()}', not true/false."));
}
