namespace Mesh.Benchmarks.Proxy;

/// <summary>One way to the backend of one protocol: where h2load connects and the proxy processes on the way.</summary>
internal sealed record ProxyPath(string Name, string Protocol, int Port, IReadOnlyList<ChildProcess> Proxies)
{
    /// <summary>Gets the process ids whose CPU and memory are the path's cost (none for direct).</summary>
    public IReadOnlyCollection<int> Pids => [.. Proxies.Select(p => p.Id)];
}
