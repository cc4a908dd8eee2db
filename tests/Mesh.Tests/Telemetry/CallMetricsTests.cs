using System.Diagnostics.Metrics;
using Grpc.Core;
using Mesh.Balancing;
using Mesh.Testing.Grpc;
using Mesh.Testing.Grpc.V1;
using Microsoft.Extensions.DependencyInjection;

namespace Mesh.Tests.Telemetry;

/// <summary>The call metrics AddMesh reports, read with a MeterListener scoped to the test's container.</summary>
public sealed class CallMetricsTests
{
    [Fact]
    public async Task Calls_DurationHistogramAndAttemptCounts_MatchTheCallsMade()
    {
        await using var server = await TestGrpcServer.StartAsync("echo-1");
        await using var app = new EchoMeshApp([server]);
        // Resolution, connection and JIT make a first call slow; it is not the one being measured.
        await app.Client.EchoAsync(new EchoRequest());
        using var meters = new MeterCapture(app.Services.GetRequiredService<IMeterFactory>());

        for (var i = 0; i < 3; i++)
        {
            await app.Client.EchoAsync(new EchoRequest());
        }

        for (var i = 0; i < 2; i++)
        {
            await app.Client.EchoAsync(new EchoRequest { DelayMs = 800 });
        }

        await Assert.ThrowsAsync<RpcException>(() => app.Client.EchoAsync(new EchoRequest { FailWithStatus = (int)StatusCode.Unavailable }).ResponseAsync);

        var durations = meters.Collect("rpc.client.call.duration");
        Assert.Equal(6, durations.Count);
        Assert.All(durations, d =>
        {
            Assert.Equal("echo", d.Tags["mesh.service"]);
            Assert.Equal("mesh.testing.v1.EchoService", d.Tags["rpc.service"]);
            Assert.Equal("Echo", d.Tags["rpc.method"]);
        });
        Assert.Equal(5, durations.Count(d => (int)d.Tags["rpc.grpc.status_code"]! == 0));
        Assert.Equal(1, durations.Count(d => (int)d.Tags["rpc.grpc.status_code"]! == (int)StatusCode.Unavailable));

        // Seconds, bucketed with the rpc convention's boundaries.
        var histogram = (Histogram<double>)meters.Instrument("rpc.client.call.duration");
        Assert.Equal("s", histogram.Unit);
        var bounds = histogram.Advice!.HistogramBucketBoundaries!.ToList();
        Assert.Equal([0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10], bounds);
        var buckets = new int[bounds.Count + 1];
        foreach (var d in durations)
        {
            buckets[bounds.Count(b => d.Value > b)]++;
        }

        // At least the two slow calls are past 0.75 s (a fast one may be too on a loaded machine); all six are counted.
        var described = string.Join(", ", durations.Select(d => $"{d.Value:F3}s/{d.Tags["rpc.grpc.status_code"]}"));
        Assert.True(buckets.Skip(bounds.IndexOf(0.75) + 1).Sum() >= 2, described);
        Assert.Equal(6, buckets.Sum());

        var attempts = meters.Collect("mesh.client.attempts");
        Assert.Equal(5 + 3, attempts.Count);
        Assert.Equal(3, attempts.Count(a => (int)a.Tags["rpc.grpc.status_code"]! == (int)StatusCode.Unavailable));
        var retries = meters.Collect("mesh.client.retries");
        Assert.Equal(2, retries.Count);
        Assert.All(retries, r => Assert.Equal(false, r.Tags["mesh.attempt.hedge"]));
        Assert.Empty(meters.Collect("mesh.client.retries_denied"));
    }

    [Fact]
    public async Task BudgetDenialsBreakerStateAndEjections_AreReported()
    {
        await using var cluster = await TestGrpcCluster.StartAsync(2);
        await using var app = new EchoMeshApp(cluster.Servers, echo =>
        {
            echo.Policy.Budget.RetryRatio = 0;
            echo.Policy.Budget.MinRetriesPerSecond = 0;
            echo.Policy.CircuitBreaker.MinimumThroughput = 5;
            echo.Balancing.OutlierDetection.ConsecutiveFailures = 1;
        });
        using var meters = new MeterCapture(app.Services.GetRequiredService<IMeterFactory>());
        await app.Client.EchoAsync(new EchoRequest());
        Assert.Equal([0d], meters.Collect("mesh.circuit.state").Select(m => m.Value));
        cluster[0].Faults.FailWith = StatusCode.Unavailable;
        cluster[1].Faults.FailWith = StatusCode.Unavailable;

        for (var i = 0; i < 4; i++)
        {
            await Assert.ThrowsAsync<RpcException>(() => app.Client.EchoAsync(new EchoRequest()).ResponseAsync);
        }

        Assert.Equal(4, meters.Collect("mesh.client.retries_denied").Count);
        var state = meters.Collect("mesh.circuit.state")[^1];
        Assert.Equal(2d, state.Value);
        Assert.Equal("echo", state.Tags["mesh.service"]);
        var ejected = meters.Collect("mesh.balancing.ejected_instances")[^1];
        Assert.Equal(app.Services.GetRequiredService<BalancingMonitor>().GetEjectedCount("echo"), (int)ejected.Value);
        Assert.True(ejected.Value >= 1);
    }
}
