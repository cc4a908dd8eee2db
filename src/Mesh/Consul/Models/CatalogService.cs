using System.Text.Json.Serialization;

namespace Mesh.Consul.Models;

/// <summary>One element of <c>/v1/catalog/service/&lt;name&gt;</c>.</summary>
public sealed class CatalogService
{
    /// <summary>Gets or sets the node's UUID.</summary>
    [JsonPropertyName("ID")]
    public string? Id { get; set; }

    /// <summary>Gets or sets the node name.</summary>
    public string Node { get; set; } = "";

    /// <summary>Gets or sets the node's address.</summary>
    public string Address { get; set; } = "";

    /// <summary>Gets or sets the datacenter.</summary>
    public string? Datacenter { get; set; }

    /// <summary>Gets or sets the node metadata.</summary>
    public IReadOnlyDictionary<string, string>? NodeMeta { get; set; }

    /// <summary>Gets or sets the instance id.</summary>
    [JsonPropertyName("ServiceID")]
    public string ServiceId { get; set; } = "";

    /// <summary>Gets or sets the service name.</summary>
    public string ServiceName { get; set; } = "";

    /// <summary>Gets or sets the tags.</summary>
    public IReadOnlyList<string>? ServiceTags { get; set; }

    /// <summary>Gets or sets the service address; empty means the node's.</summary>
    public string? ServiceAddress { get; set; }

    /// <summary>Gets or sets the service metadata.</summary>
    public IReadOnlyDictionary<string, string>? ServiceMeta { get; set; }

    /// <summary>Gets or sets the port.</summary>
    public int ServicePort { get; set; }

    /// <summary>Gets or sets the raft index at creation.</summary>
    public ulong CreateIndex { get; set; }

    /// <summary>Gets or sets the raft index of the last change.</summary>
    public ulong ModifyIndex { get; set; }
}
