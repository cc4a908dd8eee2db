namespace Mesh.Benchmarks.Proxy;

/// <summary>The ports of one sidecar: its doors and, for a caller's sidecar, the local port of its one upstream.</summary>
internal sealed record SidecarPorts(int Inbound, int Outbound, int Admin, int Upstream);
