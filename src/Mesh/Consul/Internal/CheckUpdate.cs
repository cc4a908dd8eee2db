namespace Mesh.Consul.Internal;

/// <summary>The body of <c>PUT /v1/agent/check/update/&lt;id&gt;</c>.</summary>
internal sealed record CheckUpdate(string Status, string? Output);
