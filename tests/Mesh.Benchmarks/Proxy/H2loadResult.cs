using System.Globalization;
using System.Text.RegularExpressions;

namespace Mesh.Benchmarks.Proxy;

/// <summary>
/// What one h2load run reported: its summary lines (requests/s, request counts, status classes) and, from its
/// <c>--log-file</c>, the latency percentiles (h2load prints only min/max/mean/sd itself).
/// </summary>
internal sealed partial record H2loadResult(
    double RequestsPerSecond, long Done, long Succeeded, long Failed, long Errored, long Timeout, long Status2xx, long StatusOther)
{
    /// <summary>Gets the median request time in milliseconds (NaN without a log file).</summary>
    public double P50Ms { get; init; } = double.NaN;

    /// <summary>Gets the 99th percentile request time in milliseconds (NaN without a log file).</summary>
    public double P99Ms { get; init; } = double.NaN;

    /// <summary>Gets the requests h2load did not see answered 2xx (h2load's failed ones include its errored and timed-out ones).</summary>
    public long Errors => Math.Max(Failed, Done - Status2xx);

    /// <summary>Parses h2load's standard output; null when it holds no summary (h2load failed to start).</summary>
    public static H2loadResult? Parse(string output)
    {
        var finished = FinishedLine().Match(output);
        var requests = RequestsLine().Match(output);
        var status = StatusLine().Match(output);
        if (!finished.Success || !requests.Success || !status.Success)
        {
            return null;
        }

        return new H2loadResult(
            double.Parse(finished.Groups["rps"].Value, CultureInfo.InvariantCulture),
            Long(requests, "done"), Long(requests, "succeeded"), Long(requests, "failed"), Long(requests, "errored"), Long(requests, "timeout"),
            Long(status, "s2"), Long(status, "s3") + Long(status, "s4") + Long(status, "s5"));
    }

    /// <summary>Reads the per-request times of h2load's <c>--log-file</c> (start µs, status, duration µs per line).</summary>
    public static List<long> ReadLogDurations(IEnumerable<string> lines)
    {
        var durations = new List<long>();
        foreach (var line in lines)
        {
            var parts = line.Split('\t');
            if (parts.Length >= 3 && long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var micros))
            {
                durations.Add(micros);
            }
        }

        return durations;
    }

    /// <summary>The value at quantile <paramref name="q"/> of sorted durations, in milliseconds.</summary>
    public static double PercentileMs(List<long> sortedMicros, double q) =>
        sortedMicros.Count == 0 ? double.NaN : sortedMicros[Math.Clamp((int)Math.Ceiling(q * sortedMicros.Count) - 1, 0, sortedMicros.Count - 1)] / 1000.0;

    /// <summary>Checks the parser on a sample of h2load 1.52's output; throws when it no longer reads it.</summary>
    public static void SelfCheck()
    {
        const string sample = """
            finished in 5.00s, 41234.60 req/s, 2.10MB/s
            requests: 206173 total, 206173 started, 206173 done, 206170 succeeded, 3 failed, 1 errored, 2 timeout
            status codes: 206170 2xx, 0 3xx, 1 4xx, 2 5xx
            """;
        var parsed = Parse(sample) ?? throw new InvalidOperationException("h2load parser self-check: no summary read");
        var durations = ReadLogDurations(["1700000000000000\t200\t1500", "1700000000000100\t200\t500", "bad line", "1700000000000200\t200\t900"]);
        durations.Sort();
        if (parsed.RequestsPerSecond != 41234.6 || parsed.Done != 206173 || parsed.Succeeded != 206170 || parsed.Failed != 3
            || parsed.Errored != 1 || parsed.Timeout != 2 || parsed.StatusOther != 3 || parsed.Errors != 3
            || durations.Count != 3 || PercentileMs(durations, 0.5) != 0.9 || PercentileMs(durations, 0.99) != 1.5)
        {
            throw new InvalidOperationException($"h2load parser self-check failed: {parsed}, durations {string.Join(',', durations)}");
        }
    }

    private static long Long(Match match, string group) => long.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"finished in [\d.]+m?s, (?<rps>[\d.]+) req/s")]
    private static partial Regex FinishedLine();

    [GeneratedRegex(@"requests: \d+ total, \d+ started, (?<done>\d+) done, (?<succeeded>\d+) succeeded, (?<failed>\d+) failed, (?<errored>\d+) errored, (?<timeout>\d+) timeout")]
    private static partial Regex RequestsLine();

    [GeneratedRegex(@"status codes: (?<s2>\d+) 2xx, (?<s3>\d+) 3xx, (?<s4>\d+) 4xx, (?<s5>\d+) 5xx")]
    private static partial Regex StatusLine();
}
