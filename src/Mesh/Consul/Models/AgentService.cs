using System.Text.Json.Serialization;

namespace Mesh.Consul.Models;

/// <summary>A registered service instance, as <c>/v1/agent/services</c> and <c>/v1/health/service</c> report it.</summary>
public sealed class AgentService
{
    /// <summary>Gets or sets the instance id.</summary>
    [JsonPropertyName("ID")]
    public string Id { get; set; } = "";

    /// <summary>Gets or sets the service name.</summary>
    public string Service { get; set; } = "";

    /// <summary>Gets or sets the tags.</summary>
    public IReadOnlyList<string>? Tags { get; set; }

    /// <summary>Gets or sets the metadata (Consul sends <see langword="null"/> for none in health answers).</summary>
    public IReadOnlyDictionary<string, string>? Meta { get; set; }

    /// <summary>Gets or sets the port.</summary>
    public int Port { get; set; }

    /// <summary>Gets or sets the address; empty means the node's address.</summary>
    public string? Address { get; set; }

    /// <summary>Gets or sets the tagged addresses (<c>lan_ipv4</c>, <c>wan_ipv4</c>, ...).</summary>
    public IReadOnlyDictionary<string, ServiceAddress>? TaggedAddresses { get; set; }

    /// <summary>Gets or sets the DNS weights.</summary>
    public ServiceWeights? Weights { get; set; }

    /// <summary>Gets or sets whether tags may be changed by anti-entropy.</summary>
    public bool EnableTagOverride { get; set; }

    /// <summary>Gets or sets the datacenter (agent endpoints only).</summary>
    public string? Datacenter { get; set; }

    /// <summary>Gets or sets the raft index at creation.</summary>
    public ulong CreateIndex { get; set; }

    /// <summary>Gets or sets the raft index of the last change.</summary>
    public ulong ModifyIndex { get; set; }
}
