using System.Diagnostics;
using System.Globalization;

namespace Mesh.Benchmarks.Proxy;

/// <summary>
/// Runs h2load against one path: an unrecorded warm-up run, then the measured run with <c>--log-file</c> for the
/// percentiles, the proxies' CPU (utime + stime) read before and after and their RSS sampled every 100 ms.
/// </summary>
internal sealed class H2loadRunner(ProxyOptions options, string directory, ProxyFleet fleet)
{
    /// <summary>The modes: fixed concurrency (as fast as the path goes) and a fixed rate below saturation.</summary>
    public static readonly string[] Modes = ["max", "rate"];

    private readonly string _body = WriteGrpcBody(directory);

    /// <summary>Loads a path unrecorded at full speed, so that measured runs see the JIT's final code (tiering with PGO takes a while).</summary>
    public Task WarmUpAsync(ProxyPath path, int seconds) => RunH2loadAsync(Arguments(path, "max", seconds, log: null));

    public async Task<RunResult> RunAsync(ProxyPath path, string mode, int round)
    {
        if (options.WarmupSeconds > 0)
        {
            await RunH2loadAsync(Arguments(path, mode, options.WarmupSeconds, log: null));
        }

        var log = Path.Combine(directory, "h2load.log");
        File.Delete(log);
        var pids = path.Pids;
        var backendBefore = fleet.BackendCount(path.Protocol);
        var before = ProcSample.Read(pids);
        using var sampling = new CancellationTokenSource();
        var peak = SamplePeakAsync(pids, sampling.Token);
        var output = await RunH2loadAsync(Arguments(path, mode, options.Seconds, log));
        await sampling.CancelAsync();
        var rssPeak = await peak;
        var after = ProcSample.Read(pids);
        var served = fleet.BackendCount(path.Protocol) - backendBefore;
        var load = H2loadResult.Parse(output) ?? throw new InvalidOperationException($"h2load printed no summary for {path.Name}/{path.Protocol}:\n{output}");
        var durations = H2loadResult.ReadLogDurations(File.ReadLines(log));
        durations.Sort();
        load = load with { P50Ms = H2loadResult.PercentileMs(durations, 0.50), P99Ms = H2loadResult.PercentileMs(durations, 0.99) };
        var cpu = load.Done == 0 ? double.NaN : (after.Cpu - before.Cpu).TotalMicroseconds / load.Done;
        return new RunResult(path.Name, path.Protocol, mode, round, load, cpu, rssPeak, Math.Max(0, load.Status2xx - served));
    }

    private List<string> Arguments(ProxyPath path, string mode, int seconds, string? log)
    {
        var grpc = path.Protocol == "grpc";
        var clients = mode == "max" && !grpc ? options.HttpClients : options.Clients;
        List<string> args = ["-c", Invariant(clients), "-D", Invariant(seconds)];
        args.AddRange(mode == "max" && grpc ? ["-m", Invariant(options.Streams)] : ["-m", "1"]);
        if (mode == "rate")
        {
            args.AddRange(["--rps", Invariant(Math.Max(1, options.Rate / clients))]);
        }

        if (log is not null)
        {
            args.AddRange(["--log-file", log]);
        }

        args.AddRange(grpc
            ? ["-d", _body, "-H", "content-type: application/grpc", "-H", "te: trailers", $"http://127.0.0.1:{path.Port}/mesh.testing.v1.EchoService/Echo"]
            : ["--h1", $"http://127.0.0.1:{path.Port}/data"]);
        return args;
    }

    private static async Task<string> RunH2loadAsync(List<string> args)
    {
        var start = new ProcessStartInfo("h2load") { RedirectStandardOutput = true, RedirectStandardError = true };
        args.ForEach(start.ArgumentList.Add);
        using var h2load = Process.Start(start) ?? throw new InvalidOperationException("h2load did not start (apt-get install nghttp2-client)");
        var stdout = h2load.StandardOutput.ReadToEndAsync();
        var stderr = h2load.StandardError.ReadToEndAsync();
        await h2load.WaitForExitAsync();
        return await stdout + await stderr;
    }

    private static async Task<long> SamplePeakAsync(IReadOnlyCollection<int> pids, CancellationToken cancellationToken)
    {
        long peak = 0;
        if (pids.Count == 0)
        {
            return 0;
        }

        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        try
        {
            do
            {
                peak = Math.Max(peak, ProcSample.Read(pids).RssBytes);
            }
            while (await timer.WaitForNextTickAsync(cancellationToken));
        }
        catch (OperationCanceledException)
        {
        }

        return peak;
    }

    // The gRPC frame h2load posts: no compression, 4-byte big-endian length, then EchoRequest { message = 16 bytes }.
    private static string WriteGrpcBody(string directory)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, "echo-request.bin");
        byte[] message = [0x0a, 16, .. "abcdefghijklmnop"u8];
        File.WriteAllBytes(path, [0, 0, 0, 0, (byte)message.Length, .. message]);
        return path;
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
