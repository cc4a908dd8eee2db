using System.Globalization;

namespace Mesh.Benchmarks.Proxy;

/// <summary>
/// The table: per protocol, mode and path the medians over rounds, throughput ÷ nginx's, and the latency a proxy adds
/// (path − direct, per round, then the median) next to nginx's.
/// </summary>
internal static class ProxyReport
{
    public static void Print(IReadOnlyList<RunResult> results, IEnumerable<(ChildProcess Process, ProcSample Idle)> idle)
    {
        Console.WriteLine();
        Console.WriteLine("| protocol | mode | path | req/s | ÷ nginx | p50 ms | p99 ms | added p50 ms | added p99 ms | added ÷ nginx's (p50; p99) | proxy CPU µs/req | proxy RSS peak MB | errors |");
        Console.WriteLine("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var group in results.GroupBy(r => (r.Protocol, r.Mode)))
        {
            var byPath = group.GroupBy(r => r.Path).ToDictionary(g => g.Key, g => g.ToList());
            var nginx = byPath.GetValueOrDefault("nginx");
            var direct = byPath.GetValueOrDefault("direct");
            foreach (var path in ProxyOptions.AllPaths.Where(byPath.ContainsKey).Concat(byPath.Keys.Where(k => !ProxyOptions.AllPaths.Contains(k))))
            {
                var runs = byPath[path];
                var rps = Median(runs.Select(r => r.Load.RequestsPerSecond));
                var addedP50 = Added(runs, direct, r => r.Load.P50Ms);
                var addedP99 = Added(runs, direct, r => r.Load.P99Ms);
                var nginxP50 = nginx is null ? double.NaN : Added(nginx, direct, r => r.Load.P50Ms);
                var nginxP99 = nginx is null ? double.NaN : Added(nginx, direct, r => r.Load.P99Ms);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {group.Key.Protocol} | {group.Key.Mode} | {path} | {rps:N0} | {Ratio(rps, nginx is null ? double.NaN : Median(nginx.Select(r => r.Load.RequestsPerSecond)))} "
                    + $"| {Median(runs.Select(r => r.Load.P50Ms)):F3} | {Median(runs.Select(r => r.Load.P99Ms)):F3} | {addedP50:F3} | {addedP99:F3} "
                    + $"| {Ratio(addedP50, nginxP50)}; {Ratio(addedP99, nginxP99)} | {Median(runs.Select(r => r.CpuMicrosPerRequest)):F1} "
                    + $"| {runs.Max(r => r.RssPeakBytes) / 1048576.0:F1} | {runs.Sum(r => r.Errors)} |"));
            }
        }

        Console.WriteLine();
        Console.WriteLine($"rounds: {results.Select(r => r.Round).Distinct().Count()}; medians over rounds; added = path − direct of the same round; RSS peak = max over rounds of the VmRSS sum of the path's proxy processes, sampled every 100 ms under load");
        foreach (var (process, sample) in idle)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"idle (after start and one check request): {process.Name} pid {process.Id}: RSS {sample.RssBytes / 1048576.0:F1} MB (with workers)"));
        }
    }

    private static double Added(List<RunResult> runs, List<RunResult>? direct, Func<RunResult, double> value)
    {
        if (direct is null)
        {
            return double.NaN;
        }

        var baseline = direct.ToDictionary(r => r.Round, value);
        return Median(runs.Where(r => baseline.ContainsKey(r.Round)).Select(r => value(r) - baseline[r.Round]));
    }

    private static string Ratio(double value, double reference) =>
        double.IsNaN(value) || double.IsNaN(reference) || reference == 0 ? "–" : (value / reference).ToString("F2", CultureInfo.InvariantCulture);

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Where(v => !double.IsNaN(v)).Order().ToList();
        return sorted.Count == 0 ? double.NaN
            : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
