namespace Mesh.Testing.Consul.Internal;

/// <summary>A key/value entry; <see cref="Value"/> is <see langword="null"/> for an empty value, as Consul prints it.</summary>
internal sealed record KvEntry(string Key, byte[]? Value, ulong Flags, ulong LockIndex, ulong CreateIndex, ulong ModifyIndex);
