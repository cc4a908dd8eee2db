using System.Text.Json.Serialization;

namespace Mesh.Consul.Models;

/// <summary>The body of <c>PUT /v1/agent/service/register</c>.</summary>
public sealed class AgentServiceRegistration
{
    /// <summary>Gets or sets the instance id; Consul defaults it to <see cref="Name"/>.</summary>
    [JsonPropertyName("ID")]
    public string? Id { get; set; }

    /// <summary>Gets or sets the logical service name.</summary>
    public required string Name { get; set; }

    /// <summary>Gets or sets the tags.</summary>
    public IReadOnlyList<string>? Tags { get; set; }

    /// <summary>Gets or sets the address; empty means the node's address.</summary>
    public string? Address { get; set; }

    /// <summary>Gets or sets the port.</summary>
    public int Port { get; set; }

    /// <summary>Gets or sets the metadata.</summary>
    public IReadOnlyDictionary<string, string>? Meta { get; set; }

    /// <summary>Gets or sets the single health check.</summary>
    public AgentServiceCheck? Check { get; set; }

    /// <summary>Gets or sets several health checks.</summary>
    public IReadOnlyList<AgentServiceCheck>? Checks { get; set; }
}
