using System.Diagnostics;
using System.Globalization;

namespace Mesh.Benchmarks.Proxy;

/// <summary>
/// <c>proxy</c>: the same backends reached directly, through nginx, haproxy, one sidecar hop and the two-hop mesh
/// path, loaded by h2load at a fixed concurrency and at a fixed rate; every path once per round, the order rotating.
/// </summary>
internal static class ProxyHarness
{
    private static readonly string[] Protocols = ["grpc", "http"];

    public static async Task<int> RunAsync(string[] args)
    {
        if (!ProxyOptions.TryParse(args, out var options, out var error))
        {
            Console.Error.WriteLine(error);
            Console.Error.WriteLine(ProxyOptions.Usage);
            return 2;
        }

        H2loadResult.SelfCheck();
        var paths = ProxyOptions.AllPaths.Where(p => options.Selects(p, ProxyOptions.AllPaths)).ToList();
        var protocols = Protocols.Where(p => options.Selects(p, Protocols)).ToList();
        var modes = H2loadRunner.Modes.Where(m => options.Selects(m, H2loadRunner.Modes)).ToList();
        EnsureInstalled("h2load", "nghttp2-client");
        if (paths.Contains("nginx"))
        {
            EnsureInstalled("nginx", "nginx");
        }

        if (paths.Contains("haproxy"))
        {
            EnsureInstalled("haproxy", "haproxy");
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"proxy: {options.Rounds} rounds × {options.Seconds} s (+{options.WarmupSeconds} s warm-up); max: gRPC -c {options.Clients} -m {options.Streams}, HTTP/1.1 -c {options.HttpClients}; rate: {options.Rate}/s over {options.Clients} connections; {Environment.ProcessorCount} cores"));
        Console.WriteLine($"sidecar: {options.Sidecar ?? SidecarPeer.DefaultPath()} {string.Join(' ', options.SidecarEnvironment.Select(e => $"{e.Key}={e.Value}"))}");
        options.Variants.ToList().ForEach(v => Console.WriteLine($"sidecar:{v.Label}: {v.Executable ?? "(same executable)"} {string.Join(' ', v.Environment.Select(e => $"{e.Key}={e.Value}"))}"));
        await using var fleet = await ProxyFleet.StartAsync(options, paths, protocols);
        var runner = new H2loadRunner(options, fleet.WorkDirectory, fleet);
        if (options.PrewarmSeconds > 0)
        {
            Console.WriteLine($"pre-warming every path for {options.PrewarmSeconds} s (unrecorded)");
            foreach (var path in fleet.Paths)
            {
                await runner.WarmUpAsync(path, options.PrewarmSeconds);
            }
        }

        var results = new List<RunResult>();
        for (var round = 0; round < options.Rounds; round++)
        {
            foreach (var protocol in protocols)
            {
                foreach (var mode in modes)
                {
                    var candidates = fleet.Paths.Where(p => p.Protocol == protocol).ToList();
                    // Rotate: each path leads once every few rounds, so drift in the machine's load spreads over all.
                    foreach (var path in candidates.Skip(round % candidates.Count).Concat(candidates.Take(round % candidates.Count)))
                    {
                        path.Proxies.ToList().ForEach(p => p.ThrowIfExited());
                        var result = await runner.RunAsync(path, mode, round);
                        results.Add(result);
                        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                            $"round {round + 1} {protocol} {mode} {path.Name,-12} {result.Load.RequestsPerSecond,9:F0} req/s p50 {result.Load.P50Ms:F3} p99 {result.Load.P99Ms:F3} ms cpu {result.CpuMicrosPerRequest,6:F1} µs/req rss {result.RssPeakBytes / 1048576.0,6:F1} MB errors {result.Errors}"));
                    }
                }
            }
        }

        ProxyReport.Print(results, fleet.Idle);
        return 0;
    }

    // The issue asks the harness to install its peers when missing (the test suite never needs them).
    private static void EnsureInstalled(string command, string package)
    {
        if (Environment.GetEnvironmentVariable("PATH")!.Split(':').Any(dir => File.Exists(Path.Combine(dir, command))))
        {
            return;
        }

        Console.WriteLine($"{command} not found: apt-get install -y {package}");
        using var apt = Process.Start("apt-get", ["install", "-y", package]);
        apt.WaitForExit();
        if (apt.ExitCode != 0)
        {
            throw new InvalidOperationException($"{command} is missing and apt-get install {package} failed (exit {apt.ExitCode})");
        }
    }
}
