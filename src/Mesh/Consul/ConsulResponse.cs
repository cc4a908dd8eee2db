namespace Mesh.Consul;

/// <summary>An answer to a Consul read: the value plus the metadata blocking queries need.</summary>
/// <typeparam name="T">The decoded body.</typeparam>
/// <param name="Value">The decoded body.</param>
/// <param name="Index">The <c>X-Consul-Index</c> header: pass it as <see cref="ConsulQueryOptions.Index"/> to block for the next change.</param>
/// <param name="KnownLeader">The <c>X-Consul-KnownLeader</c> header.</param>
/// <param name="LastContact">The <c>X-Consul-LastContact</c> header: how stale a follower's answer may be.</param>
public sealed record ConsulResponse<T>(T Value, ulong Index, bool KnownLeader, TimeSpan LastContact);
