using Grpc.Core;
using Mesh.Balancing;
using Mesh.Testing.Grpc;
using Mesh.Testing.Grpc.V1;
using Microsoft.Extensions.Time.Testing;

namespace Mesh.Tests.Balancing;

/// <summary>Mesh channels spreading calls over real Kestrel gRPC servers on 127.0.0.1, and following discovery updates.</summary>
public sealed class BalancingChannelTests
{
    private static readonly EchoRequest Hello = new() { Message = "hello" };

    [Fact]
    public async Task RoundRobin_ThreeInstances_SpreadsCallsEvenly()
    {
        await using var cluster = await TestGrpcCluster.StartAsync(3);
        await using var harness = new MeshChannelHarness();
        harness.Options.LoadBalancer = LoadBalancerKind.RoundRobin;
        var client = harness.CreateClient();
        await harness.PublishAsync([.. cluster.Servers]);
        await MeshChannelHarness.WarmUpAsync(client, [.. cluster.Servers]);
        var before = cluster.CallCounts();

        for (var i = 0; i < 300; i++)
        {
            await client.EchoAsync(Hello);
        }

        Assert.All(cluster.Servers, s => Assert.InRange(s.CallCount - before[s.Name], 99, 101));
    }

    [Fact]
    public async Task PowerOfTwoChoices_SlowInstance_GetsFewCalls()
    {
        await using var cluster = await TestGrpcCluster.StartAsync(3);
        // 100 ms: well above the latency spikes of a busy test machine, which briefly make a fast instance look slow.
        cluster[2].Faults.Delay = TimeSpan.FromMilliseconds(100);
        await using var harness = new MeshChannelHarness();
        var client = harness.CreateClient();
        await harness.PublishAsync([.. cluster.Servers]);

        const int Calls = 200;
        for (var i = 0; i < Calls; i++)
        {
            await client.EchoAsync(Hello);
        }

        // Its first answer sets its peak-EWMA latency far above the others'; it wins a pair again only once that
        // decays. Round robin would give it a third; a spike on a fast instance (peak-sensitive by design) can hand
        // it a few more than the usual handful, hence the margin.
        Assert.InRange(cluster[2].CallCount, 0, Calls / 5);
        Assert.All(cluster.Servers.Take(2), fast => Assert.True(fast.CallCount > 2 * cluster[2].CallCount, $"{fast.Name}: {fast.CallCount}, slow: {cluster[2].CallCount}"));
        Assert.Equal(Calls, cluster.Servers.Sum(s => s.CallCount));
    }

    [Fact]
    public async Task PowerOfTwoChoices_LowTraffic_SlowFirstAnswer_BothInstancesShareTheCalls()
    {
        // Issue 9.6: two instances, one slow (200 ms) on its first call only, sequential calls at 40/s for 5 s.
        await using var cluster = await TestGrpcCluster.StartAsync(2);
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));
        await using var harness = new MeshChannelHarness(balancerTime: clock);
        var slow = cluster[1];
        var slowAnswers = 0;
        var latency = new SimulatedLatencyHandler(clock, uri =>
            uri.Port == slow.Port && Interlocked.Increment(ref slowAnswers) == 1 ? TimeSpan.FromMilliseconds(200) : TimeSpan.FromMilliseconds(1));
        var client = new EchoService.EchoServiceClient(harness.CreateChannel(innerHandler: latency));
        await harness.PublishAsync([.. cluster.Servers]);

        // Each call starts on its 25 ms tick, or at once when the one before overran it.
        const int Calls = 200;
        var start = clock.GetUtcNow();
        for (var i = 0; i < Calls; i++)
        {
            var tick = start + (i * TimeSpan.FromMilliseconds(25));
            if (clock.GetUtcNow() < tick)
            {
                clock.Advance(tick - clock.GetUtcNow());
            }

            await client.EchoAsync(Hello);
        }

        var split = string.Join(", ", cluster.Servers.Select(s => $"{s.Name}: {s.CallCount}"));
        Assert.All(cluster.Servers, s => Assert.True(s.CallCount >= Calls * 3 / 10, $"each instance must get at least 30% of {Calls} calls; got {split}"));
    }

    [Fact]
    public async Task PowerOfTwoChoices_ConcurrentCalls_SpreadOverEqualInstances()
    {
        await using var cluster = await TestGrpcCluster.StartAsync(3);
        await using var harness = new MeshChannelHarness();
        var client = harness.CreateClient();
        await harness.PublishAsync([.. cluster.Servers]);
        await MeshChannelHarness.WarmUpAsync(client, [.. cluster.Servers]);
        var before = cluster.CallCounts();

        // Eight callers keep calls in flight, so least-outstanding spreads them even when latencies tie.
        await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            for (var i = 0; i < 40; i++)
            {
                await client.EchoAsync(new EchoRequest { DelayMs = 2 });
            }
        }));

        Assert.All(cluster.Servers, s => Assert.InRange(s.CallCount - before[s.Name], 30, 200));
    }

    [Fact]
    public async Task InstancesComeAndGo_NoCallFailsOnceTheChannelHasOne()
    {
        // Issues 13.9 and 9.7: the promise the demo shows, without retries. Once the channel reports an instance it can
        // call, every call succeeds while instances join, the first leaves discovery, and the last one stays.
        await using var cluster = await TestGrpcCluster.StartAsync(2);
        await using var harness = new MeshChannelHarness();
        var (a, b) = (cluster[0], cluster[1]);
        var client = harness.CreateClient();
        await harness.PublishAsync(Array.Empty<TestGrpcServer>());
        var none = await Assert.ThrowsAsync<RpcException>(() => client.EchoAsync(Hello).ResponseAsync);
        Assert.Equal("no healthy instances of 'echo'", none.Status.Detail);

        await harness.PublishAsync(a);
        await harness.WaitForBalancerAsync(s => s.Ready.Length == 1);
        using var stop = new CancellationTokenSource();
        var failures = new List<string>();
        var calls = 0;
        var loop = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    await client.EchoAsync(Hello);
                }
                catch (RpcException ex)
                {
                    failures.Add($"{ex.StatusCode}: {ex.Status.Detail}");
                }

                calls++;
            }
        });

        await a.WaitForCallCountAsync(a.CallCount + 5, stop.Token).WaitAsync(TimeSpan.FromSeconds(10));
        await harness.PublishAsync(a, b);
        await harness.WaitForBalancerAsync(s => s.Ready.Length == 2);
        await b.WaitForCallCountAsync(b.CallCount + 5, stop.Token).WaitAsync(TimeSpan.FromSeconds(10));
        await harness.PublishAsync(b); // a leaves discovery (maintenance) and keeps running, as it drains
        await harness.WaitForBalancerAsync(s => s.Ready.Length == 1 && s.ConnectionCount == 1);
        await b.WaitForCallCountAsync(b.CallCount + 5, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        await stop.CancelAsync();
        await loop.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Empty(failures);
        Assert.True(calls >= 15, $"{calls} calls");
    }

    [Fact]
    public async Task DiscoveryUpdate_RemovedEndpoint_StopsReceivingPicks()
    {
        await using var cluster = await TestGrpcCluster.StartAsync(3);
        await using var harness = new MeshChannelHarness();
        harness.Options.LoadBalancer = LoadBalancerKind.RoundRobin;
        var client = harness.CreateClient();
        await harness.PublishAsync([.. cluster.Servers]);
        await MeshChannelHarness.WarmUpAsync(client, [.. cluster.Servers]);

        await harness.PublishAsync(cluster[0], cluster[1]);
        await CallUntilAsync(client, replies => replies.TakeLast(20).Count() == 20 && replies.TakeLast(20).All(r => r != cluster[2].Name));
        var removedCalls = cluster[2].CallCount;
        for (var i = 0; i < 60; i++)
        {
            await client.EchoAsync(Hello);
        }

        Assert.Equal(removedCalls, cluster[2].CallCount);
    }

    [Fact]
    public async Task DiscoveryUpdate_UnchangedEndpoints_KeepTheirConnections()
    {
        await using var cluster = await TestGrpcCluster.StartAsync(3);
        await using var harness = new MeshChannelHarness();
        harness.Options.LoadBalancer = LoadBalancerKind.RoundRobin;
        var client = harness.CreateClient();
        await harness.PublishAsync(cluster[0], cluster[1]);
        await MeshChannelHarness.WarmUpAsync(client, cluster[0], cluster[1]);

        // An instance added, and another's tags changed: neither may cost the unchanged instances their connection.
        await harness.PublishAsync(MeshChannelHarness.Endpoint(cluster[0], "zone-b"), MeshChannelHarness.Endpoint(cluster[1]), MeshChannelHarness.Endpoint(cluster[2]));
        await CallUntilAsync(client, replies => replies.Contains(cluster[2].Name));
        for (var i = 0; i < 30; i++)
        {
            await client.EchoAsync(Hello);
        }

        Assert.Equal(1, cluster[0].ConnectionsAccepted);
        Assert.Equal(1, cluster[1].ConnectionsAccepted);
        Assert.Equal(1, cluster[2].ConnectionsAccepted);
    }

    [Fact]
    public async Task StoppedInstance_LeavesRotationOnceItsConnectionDrops()
    {
        await using var cluster = await TestGrpcCluster.StartAsync(3);
        await using var harness = new MeshChannelHarness();
        harness.Options.LoadBalancer = LoadBalancerKind.RoundRobin;
        var client = harness.CreateClient();
        await harness.PublishAsync([.. cluster.Servers]);
        await MeshChannelHarness.WarmUpAsync(client, [.. cluster.Servers]);

        await cluster[0].StopAsync(); // still in discovery: only the connection tells the channel
        await CallUntilAsync(client, replies => replies.Count >= 30);
        var replies = new List<string>();
        for (var i = 0; i < 30; i++)
        {
            replies.Add((await client.EchoAsync(Hello)).Instance);
        }

        Assert.DoesNotContain(cluster[0].Name, replies);
        Assert.Equal(15, replies.Count(r => r == cluster[1].Name));
    }

    /// <summary>Calls until the replies so far satisfy <paramref name="done"/>, failed calls skipped, at most 300 calls.</summary>
    private static async Task CallUntilAsync(EchoService.EchoServiceClient client, Func<List<string>, bool> done)
    {
        var replies = new List<string>();
        for (var i = 0; i < 300; i++)
        {
            try
            {
                replies.Add((await client.EchoAsync(Hello)).Instance);
            }
            catch (RpcException)
            {
                // the channel has not applied the update yet
            }

            if (done(replies))
            {
                return;
            }
        }

        Assert.Fail("The channel did not reach the expected state within 300 calls.");
    }
}
