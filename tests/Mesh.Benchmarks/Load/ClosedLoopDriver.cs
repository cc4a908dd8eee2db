using System.Diagnostics;
using Grpc.Core;
using Mesh.Testing.Grpc.V1;

namespace Mesh.Benchmarks.Load;

/// <summary>
/// Closed-loop load on one target: <c>C</c> workers, each sending a call, awaiting it and sending the next, so
/// exactly <c>C</c> calls are in flight and throughput is what the client, server and machine can sustain at that
/// concurrency. The workers run through a warm-up (not recorded), then a measured window.
/// </summary>
/// <remarks>
/// A call is recorded when it starts inside the window, wherever it ends; the window is the time between opening
/// and closing it. That counts at most <c>C</c> calls (one per worker) that end after the close, against tens of
/// thousands per second: well under 0.1%, and the same for every target.
/// </remarks>
internal static class ClosedLoopDriver
{
    private const int WarmingUp = 0;
    private const int Measuring = 1;
    private const int Stopping = 2;

    public static async Task<SegmentResult> RunAsync(LoadTarget target, EchoRequest request, int concurrency, TimeSpan warmup, TimeSpan duration)
    {
        var phase = new PhaseFlag();
        var workers = new Task<WorkerResult>[concurrency];
        for (var i = 0; i < concurrency; i++)
        {
            // Task.Run: workers start on the thread pool, not one after the other on this thread.
            workers[i] = Task.Run(() => WorkerAsync(target, request, phase));
        }

        await Task.Delay(warmup);
        var before = ProcessCounters.Read();
        var openedUtc = DateTime.UtcNow;
        var opened = Stopwatch.GetTimestamp();
        phase.Value = Measuring;
        await Task.Delay(duration);
        phase.Value = Stopping;
        var window = Stopwatch.GetElapsedTime(opened);
        var closedUtc = DateTime.UtcNow;
        var counters = ProcessCounters.Read() - before;

        // Calls have no deadline (a plain channel sets none): a hang here is a finding, reported rather than waited out.
        var all = Task.WhenAll(workers);
        if (await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(60))) != all)
        {
            throw new TimeoutException($"{target.Name}: workers did not finish within 60 s of the end of the window");
        }

        var results = await all;
        var histogram = new LatencyHistogram();
        long sent = 0, errors = 0;
        string? firstError = null;
        foreach (var result in results)
        {
            histogram.Add(result.Latencies);
            sent += result.Sent;
            errors += result.Errors;
            firstError ??= result.FirstError;
        }

        return new SegmentResult(target.Name, window, histogram, sent, errors, firstError, counters) { OpenedUtc = openedUtc, ClosedUtc = closedUtc };
    }

    private static async Task<WorkerResult> WorkerAsync(LoadTarget target, EchoRequest request, PhaseFlag phase)
    {
        // Everything a worker records lives here until it stops: the histogram is preallocated and the counters are
        // locals of this state machine, so the loop allocates nothing of its own and workers share no cache lines.
        var latencies = new LatencyHistogram();
        long sent = 0, errors = 0;
        string? firstError = null;
        var client = target.Client;
        var timeout = target.Timeout;
        while (true)
        {
            var current = phase.Value;
            if (current == Stopping)
            {
                return new WorkerResult(latencies, sent, errors, firstError);
            }

            var started = Stopwatch.GetTimestamp();
            try
            {
                using var call = timeout is { } t ? client.EchoAsync(request, deadline: DateTime.UtcNow + t) : client.EchoAsync(request);
                await call.ResponseAsync.ConfigureAwait(false);
            }
            catch (RpcException ex)
            {
                errors++;
                firstError ??= ex.Status.ToString();
            }

            var elapsed = Stopwatch.GetTimestamp() - started;
            sent++;
            if (current == Measuring)
            {
                latencies.RecordTicks(elapsed);
            }
        }
    }

    private sealed class PhaseFlag
    {
        private volatile int _value = WarmingUp;

        public int Value
        {
            get => _value;
            set => _value = value;
        }
    }

    private sealed record WorkerResult(LatencyHistogram Latencies, long Sent, long Errors, string? FirstError);
}

/// <summary>One measured segment: a target's window in one round.</summary>
/// <param name="Target">The target's name.</param>
/// <param name="Window">The measured window.</param>
/// <param name="Latencies">The latencies of the calls started inside the window.</param>
/// <param name="Sent">Every call the workers sent, warm-up included (checked against the server's count).</param>
/// <param name="Errors">Failed calls, warm-up included.</param>
/// <param name="FirstError">The first failure's status, if any.</param>
/// <param name="Counters">What the process (client and server) did during the window.</param>
internal sealed record SegmentResult(string Target, TimeSpan Window, LatencyHistogram Latencies, long Sent, long Errors, string? FirstError, ProcessCounters Counters)
{
    public long Calls => Latencies.Count;

    /// <summary>Gets when the window opened (wall clock, to match sampled events).</summary>
    public DateTime OpenedUtc { get; init; }

    /// <summary>Gets when the window closed.</summary>
    public DateTime ClosedUtc { get; init; }

    public double Throughput => Calls / Window.TotalSeconds;

    /// <summary>Gets the bytes allocated per call, client and server together: deterministic, unlike time on a shared machine.</summary>
    public double AllocatedPerCall => (double)Counters.AllocatedBytes / Calls;

    /// <summary>Gets the CPU time per call in microseconds, client and server together (host noise inflates it too).</summary>
    public double CpuMicrosecondsPerCall => Counters.Cpu.TotalMicroseconds / Calls;

    /// <summary>Gets the thread-pool work items per call: each extra async hop shows here.</summary>
    public double WorkItemsPerCall => (double)Counters.WorkItems / Calls;

    /// <summary>Gets the contended lock acquisitions per thousand calls.</summary>
    public double LockContentionsPerThousandCalls => Counters.LockContentions * 1000.0 / Calls;
}
