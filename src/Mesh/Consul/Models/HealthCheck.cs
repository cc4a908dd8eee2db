using System.Text.Json.Serialization;

namespace Mesh.Consul.Models;

/// <summary>A check's state, as <c>/v1/health/*</c> and <c>/v1/agent/checks</c> report it.</summary>
public sealed class HealthCheck
{
    /// <summary>Gets or sets the node name.</summary>
    public string? Node { get; set; }

    /// <summary>Gets or sets the check id.</summary>
    [JsonPropertyName("CheckID")]
    public string CheckId { get; set; } = "";

    /// <summary>Gets or sets the display name.</summary>
    public string? Name { get; set; }

    /// <summary>Gets or sets the status: <c>passing</c>, <c>warning</c> or <c>critical</c> (see <see cref="HealthStatus"/>).</summary>
    public string Status { get; set; } = "";

    /// <summary>Gets or sets the notes.</summary>
    public string? Notes { get; set; }

    /// <summary>Gets or sets the last output.</summary>
    public string? Output { get; set; }

    /// <summary>Gets or sets the id of the service the check belongs to; empty for node checks.</summary>
    [JsonPropertyName("ServiceID")]
    public string? ServiceId { get; set; }

    /// <summary>Gets or sets the name of the service the check belongs to.</summary>
    public string? ServiceName { get; set; }

    /// <summary>Gets or sets the service's tags.</summary>
    public IReadOnlyList<string>? ServiceTags { get; set; }

    /// <summary>Gets or sets the check type (<c>ttl</c>, <c>http</c>, <c>grpc</c>, empty for serf).</summary>
    public string? Type { get; set; }

    /// <summary>Gets or sets the raft index at creation.</summary>
    public ulong CreateIndex { get; set; }

    /// <summary>Gets or sets the raft index of the last change.</summary>
    public ulong ModifyIndex { get; set; }
}
