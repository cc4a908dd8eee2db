using System.Diagnostics;
using System.Runtime;
using Mesh.Testing.Grpc;
using Mesh.Testing.Grpc.V1;

namespace Mesh.Benchmarks.Load;

/// <summary>
/// Closed-loop load against one in-process <see cref="TestGrpcServer"/> (h2c on 127.0.0.1), through a plain gRPC
/// channel and a Mesh channel side by side: issue 3's "mesh keeps ≥ 97% of the throughput and p99 within +5%".
/// Targets alternate in rounds (the order rotating each round) so machine noise and drift hit all of them alike.
/// Not a timed test: it reports figures for docs/benchmarks.md.
/// </summary>
internal static class LoadHarness
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (!LoadOptions.TryParse(args, out var options, out var error))
        {
            Console.Error.WriteLine(error);
            Console.Error.WriteLine(LoadOptions.Usage);
            return 2;
        }

        Console.WriteLine($"Closed-loop unary Echo load ({Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}, " +
            $"{(GCSettings.IsServerGC ? "server" : "workstation")} GC, client and server in one process)");
        Console.WriteLine($"concurrency {options.Concurrency}, {options.Rounds} round(s) of {options.WarmupSeconds} s warm-up + {options.Seconds} s measured per target, " +
            $"{options.MessageBytes}-byte message");

        using var sampler = options.Allocations ? new AllocationSampler() : null;
        await using var server = await TestGrpcServer.StartAsync("echo-0");
        await using var targets = await LoadTargets.CreateAsync(server, options.Breakdown, options.Only);
        var request = new EchoRequest { Message = new string('x', options.MessageBytes) };
        foreach (var target in targets.All)
        {
            Console.WriteLine($"  {target.Name,-15} {target.Description}");
        }

        if (!await CheckAsync(targets.All, server, request))
        {
            return 1;
        }

        // One unrecorded pass per target first (at least 5 s: tiered JIT needs a few seconds of load to settle),
        // so round 1 is not slower than the others: connections, thread-pool growth, the balancer's tracker pools.
        var warmup = TimeSpan.FromSeconds(options.WarmupSeconds);
        if (warmup > TimeSpan.Zero)
        {
            var prime = TimeSpan.FromSeconds(Math.Max(5, options.WarmupSeconds));
            foreach (var target in targets.All)
            {
                await ClosedLoopDriver.RunAsync(target, request, options.Concurrency, TimeSpan.Zero, prime);
            }
        }

        var segments = new List<SegmentResult>();
        var count = targets.All.Count;
        for (var round = 0; round < options.Rounds; round++)
        {
            for (var k = 0; k < count; k++)
            {
                var target = targets.All[(round + k) % count];
                // Each segment starts from a collected heap, so none pays for another's garbage.
                GC.Collect();
                GC.WaitForPendingFinalizers();
                GC.Collect();
                var before = server.CallCount;
                var segment = await ClosedLoopDriver.RunAsync(target, request, options.Concurrency, warmup, TimeSpan.FromSeconds(options.Seconds));
                LoadReport.PrintSegment(round, segment, server.CallCount - before);
                segments.Add(segment);
            }
        }

        LoadReport.PrintSummary(targets.All, segments, options.Rounds);
        if (sampler is not null)
        {
            await Task.Delay(TimeSpan.FromSeconds(2)); // let the last events arrive
            LoadReport.PrintAllocations(targets.All, segments, sampler);
        }

        return segments.Sum(s => s.Errors) == 0 ? 0 : 1;
    }

    /// <summary>One call per target: it must succeed, reach this server and be counted by it (the Mesh path resolves mesh:///echo to it).</summary>
    private static async Task<bool> CheckAsync(IReadOnlyList<LoadTarget> targets, TestGrpcServer server, EchoRequest request)
    {
        var ok = true;
        foreach (var target in targets)
        {
            var before = server.CallCount;
            var started = Stopwatch.GetTimestamp();
            try
            {
                var reply = await target.Client.EchoAsync(request, deadline: DateTime.UtcNow.AddSeconds(10));
                var counted = server.CallCount - before;
                if (reply.Instance != server.Name || reply.Message != request.Message || counted != 1)
                {
                    Console.Error.WriteLine($"{target.Name}: unexpected reply from '{reply.Instance}' (server counted {counted} calls)");
                    ok = false;
                }
                else
                {
                    Console.WriteLine($"  check {target.Name,-15} ok: answered by {reply.Instance} in {Stopwatch.GetElapsedTime(started).TotalMilliseconds:0.0} ms (first call, connects)");
                }
            }
            catch (Grpc.Core.RpcException ex)
            {
                Console.Error.WriteLine($"{target.Name}: check call failed: {ex.Status}");
                ok = false;
            }
        }

        return ok;
    }
}
