using System.Text.Json.Serialization;

namespace Mesh.Consul.Models;

/// <summary>A node (a machine running an agent), as <c>/v1/health/service</c> reports it.</summary>
public sealed class ConsulNode
{
    /// <summary>Gets or sets the node's UUID.</summary>
    [JsonPropertyName("ID")]
    public string? Id { get; set; }

    /// <summary>Gets or sets the node name.</summary>
    public string Node { get; set; } = "";

    /// <summary>Gets or sets the node's address: what a service with no address of its own is reached at.</summary>
    public string Address { get; set; } = "";

    /// <summary>Gets or sets the datacenter.</summary>
    public string? Datacenter { get; set; }

    /// <summary>Gets or sets the node's tagged addresses (<c>lan</c>, <c>wan</c>, ...).</summary>
    public IReadOnlyDictionary<string, string>? TaggedAddresses { get; set; }

    /// <summary>Gets or sets the node metadata.</summary>
    public IReadOnlyDictionary<string, string>? Meta { get; set; }

    /// <summary>Gets or sets the raft index at creation.</summary>
    public ulong CreateIndex { get; set; }

    /// <summary>Gets or sets the raft index of the last change.</summary>
    public ulong ModifyIndex { get; set; }
}
