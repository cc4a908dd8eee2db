using System.Text.Json.Serialization;
using Mesh.Consul.Internal;

namespace Mesh.Consul.Models;

/// <summary>A health check inside an <see cref="AgentServiceRegistration"/>. Set one of TTL, HTTP or GRPC.</summary>
public sealed class AgentServiceCheck
{
    /// <summary>Gets or sets the check id; Consul defaults it to <c>service:&lt;id&gt;</c>.</summary>
    [JsonPropertyName("CheckID")]
    public string? CheckId { get; set; }

    /// <summary>Gets or sets the display name.</summary>
    public string? Name { get; set; }

    /// <summary>Gets or sets the TTL of a TTL check.</summary>
    [JsonPropertyName("TTL")]
    [JsonConverter(typeof(GoDurationJsonConverter))]
    public TimeSpan? Ttl { get; set; }

    /// <summary>Gets or sets the URL of an HTTP check.</summary>
    [JsonPropertyName("HTTP")]
    public string? Http { get; set; }

    /// <summary>Gets or sets the <c>host:port[/service]</c> of a gRPC check.</summary>
    [JsonPropertyName("GRPC")]
    public string? Grpc { get; set; }

    /// <summary>Gets or sets whether a gRPC check uses TLS.</summary>
    [JsonPropertyName("GRPCUseTLS")]
    public bool? GrpcUseTls { get; set; }

    /// <summary>Gets or sets how often an HTTP or gRPC check runs.</summary>
    [JsonConverter(typeof(GoDurationJsonConverter))]
    public TimeSpan? Interval { get; set; }

    /// <summary>Gets or sets how long an HTTP or gRPC check may take.</summary>
    [JsonConverter(typeof(GoDurationJsonConverter))]
    public TimeSpan? Timeout { get; set; }

    /// <summary>Gets or sets how long the service may stay critical before Consul deregisters it.</summary>
    [JsonConverter(typeof(GoDurationJsonConverter))]
    public TimeSpan? DeregisterCriticalServiceAfter { get; set; }

    /// <summary>Gets or sets the initial status (<c>passing</c>, <c>warning</c>, <c>critical</c>).</summary>
    public string? Status { get; set; }

    /// <summary>Gets or sets free-form notes.</summary>
    public string? Notes { get; set; }
}
