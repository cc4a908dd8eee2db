namespace Mesh.Sidecar.Health;

/// <summary>The outcome of one probe.</summary>
/// <param name="Healthy">Whether the app answered as healthy.</param>
/// <param name="Output">What was seen, for people (no secrets: probes carry none).</param>
internal readonly record struct ProbeResult(bool Healthy, string Output);
