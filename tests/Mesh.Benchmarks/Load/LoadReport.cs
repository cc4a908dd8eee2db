using System.Globalization;

namespace Mesh.Benchmarks.Load;

/// <summary>Prints per-segment lines as they finish, then per-target totals, the ratios to the plain channel, and markdown tables.</summary>
internal static class LoadReport
{
    /// <summary>Issue 3's targets for the Mesh channel against the plain one.</summary>
    private const double MinThroughputRatio = 0.97;
    private const double MaxP99Ratio = 1.05;

    public static void PrintSegment(int round, SegmentResult segment, long serverCalls)
    {
        var h = segment.Latencies;
        var check = serverCalls == segment.Sent ? "" : $"  (server counted {serverCalls} calls, workers sent {segment.Sent})";
        var timing = Invariant(
            $"  round {round + 1,2} {segment.Target,-15} {segment.Calls,8} calls {segment.Throughput,7:0}/s  p50 {h.PercentileMs(0.50):0.000}  p90 {h.PercentileMs(0.90):0.000}  p99 {h.PercentileMs(0.99):0.000} ms");
        var cost = Invariant($"{segment.AllocatedPerCall,5:0} B/call {segment.CpuMicrosecondsPerCall,5:0.0} µs CPU/call");
        Console.WriteLine($"{timing}  {cost}  errors {segment.Errors}{check}");
        if (segment.FirstError is { } error)
        {
            Console.WriteLine($"    first error: {error}");
        }
    }

    public static void PrintSummary(IReadOnlyList<LoadTarget> targets, IReadOnlyList<SegmentResult> segments, int rounds)
    {
        var byTarget = targets.Select(t => segments.Where(s => s.Target == t.Name).ToList()).ToList();
        var totals = byTarget.Select(Total).ToList();
        var plain = totals[0];
        var plainRounds = byTarget[0];

        Console.WriteLine();
        Console.WriteLine($"Totals over {rounds} round(s). Ratios to '{plain.Target}': over the totals, then the median and range of the per-round ratios");
        Console.WriteLine("(each round measures every target once, back to back, so a per-round ratio compares like with like).");
        Console.WriteLine();
        Console.WriteLine("| target | calls | calls/s | p50 ms | p90 ms | p99 ms | errors | calls/s ÷ plain | p99 ÷ plain |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (var i = 0; i < totals.Count; i++)
        {
            var total = totals[i];
            var h = total.Latencies;
            var vsPlain = i == 0
                ? "| 1 | 1 |"
                : $"| {Ratios(total, plain, byTarget[i], plainRounds, s => s.Throughput)} | {Ratios(total, plain, byTarget[i], plainRounds, P99)} |";
            Console.WriteLine(Invariant(
                $"| {total.Target} | {total.Calls} | {total.Throughput:0} | {h.PercentileMs(0.50):0.000} | {h.PercentileMs(0.90):0.000} | {P99(total):0.000} | {total.Errors} {vsPlain}"));
        }

        Console.WriteLine();
        Console.WriteLine("Per call, client and server together (the process's counters over the measured windows):");
        Console.WriteLine();
        Console.WriteLine("| target | allocated B/call | CPU µs/call | thread-pool items/call | lock contentions/1k calls | gen0 GCs/100k calls |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        foreach (var total in totals)
        {
            Console.WriteLine(Invariant(
                $"| {total.Target} | {total.AllocatedPerCall:0} | {total.CpuMicrosecondsPerCall:0.0} | {total.WorkItemsPerCall:0.00} | {total.LockContentionsPerThousandCalls:0.00} | {total.Counters.Gen0 * 100_000.0 / total.Calls:0.0} |"));
        }

        if (totals.FindIndex(t => t.Target == "mesh") is var m and > 0)
        {
            var throughput = Median(PerRound(byTarget[m], plainRounds, s => s.Throughput));
            var p99 = Median(PerRound(byTarget[m], plainRounds, P99));
            Console.WriteLine();
            Console.WriteLine(Invariant($"mesh/plain throughput {totals[m].Throughput / plain.Throughput:0.000} over the totals, {throughput:0.000} median per round (issue 3: ≥ {MinThroughputRatio:0.00}): {Verdict(throughput >= MinThroughputRatio)}"));
            Console.WriteLine(Invariant($"mesh/plain p99        {P99(totals[m]) / P99(plain):0.000} over the totals, {p99:0.000} median per round (issue 3: ≤ {MaxP99Ratio:0.00}): {Verdict(p99 <= MaxP99Ratio)}"));
            PrintAgainstBalancedChannel(totals, byTarget, m, Median(PerRound(byTarget[m], plainRounds, s => s.Throughput)));
        }
    }

    /// <summary>
    /// Issue 12's targets: the Mesh channel against grpc-dotnet's own balanced channel (<c>grpc-lb</c>), with and without
    /// its built-in retry (<c>grpc-retry</c>), each judged on what the issue names: the median of the per-round ratios
    /// for throughput and p99, the totals for CPU and bytes per call (these move least with the noise).
    /// </summary>
    private static void PrintAgainstBalancedChannel(List<SegmentResult> totals, List<List<SegmentResult>> byTarget, int m, double meshToPlain)
    {
        var lb = totals.FindIndex(t => t.Target == "grpc-lb");
        if (lb < 0)
        {
            return;
        }

        var mesh = totals[m];
        var peer = totals[lb];
        var throughput = Median(PerRound(byTarget[m], byTarget[lb], s => s.Throughput));
        var p99 = Median(PerRound(byTarget[m], byTarget[lb], P99));
        var cpu = mesh.CpuMicrosecondsPerCall - peer.CpuMicrosecondsPerCall;
        var bytes = mesh.AllocatedPerCall - peer.AllocatedPerCall;
        Console.WriteLine(Invariant($"mesh/grpc-lb throughput {mesh.Throughput / peer.Throughput:0.000} over the totals, {throughput:0.000} median per round (issue 12: ≥ 1.00): {Verdict(throughput >= 1.0)}"));
        Console.WriteLine(Invariant($"mesh/grpc-lb p99        {P99(mesh) / P99(peer):0.000} over the totals, {p99:0.000} median per round (issue 12: ≤ 1.05): {Verdict(p99 <= 1.05)}"));
        Console.WriteLine(Invariant($"mesh−grpc-lb CPU        {cpu:+0.00;−0.00} µs/call (issue 12: ≤ +0.5): {Verdict(cpu <= 0.5)}"));
        Console.WriteLine(Invariant($"mesh−grpc-lb allocated  {bytes:+0;−0} B/call (issue 12: ≤ +200): {Verdict(bytes <= 200)}"));
        Console.WriteLine(Invariant($"mesh/plain throughput   {meshToPlain:0.000} median per round (issue 12: ≥ 0.95): {Verdict(meshToPlain >= 0.95)}"));
        if (totals.FindIndex(t => t.Target == "grpc-retry") is var retry and >= 0)
        {
            var vsRetry = Median(PerRound(byTarget[m], byTarget[retry], s => s.Throughput));
            Console.WriteLine(Invariant($"mesh/grpc-retry throughput {vsRetry:0.000} median per round, CPU {mesh.CpuMicrosecondsPerCall - totals[retry].CpuMicrosecondsPerCall:+0.0;−0.0} µs/call (issue 12: beats it): {Verdict(vsRetry > 1.0)}"));
        }
    }

    /// <summary>Per target, the types it allocates more of than the plain channel, in sampled bytes per call.</summary>
    public static void PrintAllocations(IReadOnlyList<LoadTarget> targets, IReadOnlyList<SegmentResult> segments, AllocationSampler sampler)
    {
        var perCall = targets.Select(t =>
        {
            var mine = segments.Where(s => s.Target == t.Name).ToList();
            var calls = (double)mine.Sum(s => s.Calls);
            var bytes = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var segment in mine)
            {
                foreach (var (type, sampled) in sampler.BytesByType(segment.OpenedUtc, segment.ClosedUtc))
                {
                    bytes[type] = bytes.GetValueOrDefault(type) + (sampled / calls);
                }
            }

            return (t.Name, Bytes: bytes);
        }).ToList();

        var plain = perCall[0].Bytes;
        foreach (var (name, bytes) in perCall.Skip(1))
        {
            Console.WriteLine();
            Console.WriteLine($"Sampled allocations, {name} minus {perCall[0].Name}, B/call (sampling: ±~20 B/call for small types):");
            var excess = bytes.Keys.Union(plain.Keys)
                .Select(type => (Type: type, Mine: bytes.GetValueOrDefault(type), Plain: plain.GetValueOrDefault(type)))
                .OrderByDescending(x => Math.Abs(x.Mine - x.Plain))
                .Take(15);
            foreach (var (type, mine, theirs) in excess)
            {
                Console.WriteLine(Invariant($"  {mine - theirs,7:+0;-0} ({mine,6:0} vs {theirs,6:0})  {type}"));
            }
        }
    }

    private static double P99(SegmentResult segment) => segment.Latencies.PercentileMs(0.99);

    private static SegmentResult Total(IReadOnlyList<SegmentResult> rounds)
    {
        var histogram = new LatencyHistogram();
        var counters = default(ProcessCounters);
        foreach (var round in rounds)
        {
            histogram.Add(round.Latencies);
            counters += round.Counters;
        }

        return new SegmentResult(
            rounds[0].Target,
            TimeSpan.FromTicks(rounds.Sum(r => r.Window.Ticks)),
            histogram,
            rounds.Sum(r => r.Sent),
            rounds.Sum(r => r.Errors),
            rounds.Select(r => r.FirstError).FirstOrDefault(e => e is not null),
            counters);
    }

    /// <summary>"total (median, min–max of the per-round ratios)".</summary>
    private static string Ratios(SegmentResult total, SegmentResult plain, IReadOnlyList<SegmentResult> mine, IReadOnlyList<SegmentResult> plainRounds, Func<SegmentResult, double> metric)
    {
        var perRound = PerRound(mine, plainRounds, metric);
        return Invariant($"{metric(total) / metric(plain):0.000} (median {Median(perRound):0.000}, {perRound.Min():0.000}–{perRound.Max():0.000})");
    }

    private static List<double> PerRound(IReadOnlyList<SegmentResult> mine, IReadOnlyList<SegmentResult> plain, Func<SegmentResult, double> metric) =>
        mine.Zip(plain, (m, p) => metric(m) / metric(p)).ToList();

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        var middle = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private static string Verdict(bool met) => met ? "met" : "NOT met";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
