namespace Mesh.Consul.Models;

/// <summary>A key/value entry.</summary>
public sealed class KVPair
{
    /// <summary>Gets or sets the key.</summary>
    public string Key { get; set; } = "";

    /// <summary>Gets or sets the value (Consul sends it base64-encoded; this is the decoded bytes).</summary>
    public byte[]? Value { get; set; }

    /// <summary>Gets or sets the opaque flags.</summary>
    public ulong Flags { get; set; }

    /// <summary>Gets or sets the lock index.</summary>
    public ulong LockIndex { get; set; }

    /// <summary>Gets or sets the raft index at creation.</summary>
    public ulong CreateIndex { get; set; }

    /// <summary>Gets or sets the raft index of the last change: the value to pass as CAS index for an update.</summary>
    public ulong ModifyIndex { get; set; }
}
