namespace Mesh.Benchmarks.Proxy;

/// <summary>One measured h2load run of one path: h2load's figures and the proxies' CPU and memory meanwhile.</summary>
internal sealed record RunResult(
    string Path, string Protocol, string Mode, int Round, H2loadResult Load, double CpuMicrosPerRequest, long RssPeakBytes, long BackendShortfall)
{
    /// <summary>Gets every request not answered as it should be: h2load's non-2xx and failures, plus 2xx answers the backend never produced (a proxy's own gRPC error is HTTP 200).</summary>
    public long Errors => Load.Errors + BackendShortfall;
}
