namespace Mesh.Testing.Consul.Internal;

/// <summary>The one node the emulated agent runs on (Consul's dev agent is a one-node cluster).</summary>
internal sealed record NodeRecord(string Id, string Name, string Address, string Datacenter, ulong CreateIndex, ulong ModifyIndex);
