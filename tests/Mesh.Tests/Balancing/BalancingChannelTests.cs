using System.Diagnostics;
using Grpc.Core;
using Mesh.Balancing;
using Mesh.Testing.Grpc;
using Mesh.Testing.Grpc.V1;
using Mesh.Tests.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace Mesh.Tests.Balancing;

/// <summary>Mesh channels against real Kestrel gRPC servers on 127.0.0.1.</summary>
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
        cluster[2].Faults.Delay = TimeSpan.FromMilliseconds(50);
        await using var harness = new MeshChannelHarness();
        var client = harness.CreateClient();
        await harness.PublishAsync([.. cluster.Servers]);

        const int Calls = 200;
        for (var i = 0; i < Calls; i++)
        {
            await client.EchoAsync(Hello);
        }

        // Its first answer sets its peak-EWMA latency ~100x the others'; it wins a pair again only once that decays.
        // (Round robin would give it a third; the margin absorbs latency spikes of a busy test machine.)
        Assert.InRange(cluster[2].CallCount, 0, Calls * 15 / 100);
        Assert.Equal(Calls, cluster.Servers.Sum(s => s.CallCount));
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
    public async Task OutlierEjection_FailingInstance_EjectedAfterConsecutiveFailuresThenReturns()
    {
        await using var cluster = await TestGrpcCluster.StartAsync(3);
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));
        await using var harness = new MeshChannelHarness(balancerTime: clock);
        harness.Options.LoadBalancer = LoadBalancerKind.RoundRobin;
        harness.Options.OutlierDetection.ConsecutiveFailures = 3;
        var ejected = new List<EndpointEjectionEventArgs>();
        var returned = new List<EndpointEjectionEventArgs>();
        harness.Monitor.EndpointEjected += (_, e) => ejected.Add(e);
        harness.Monitor.EndpointReturned += (_, e) => returned.Add(e);
        var client = harness.CreateClient();
        await harness.PublishAsync([.. cluster.Servers]);
        await MeshChannelHarness.WarmUpAsync(client, [.. cluster.Servers]);
        var failing = cluster[1];
        failing.Faults.FailWith = StatusCode.Unavailable;

        var failures = 0;
        for (var i = 0; i < 60 && ejected.Count == 0; i++)
        {
            try
            {
                await client.EchoAsync(Hello);
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.Unavailable)
            {
                failures++;
            }
        }

        Assert.Equal(3, failures);
        var ejection = Assert.Single(ejected);
        Assert.Equal(failing.Name, ejection.Endpoint.Id);
        Assert.Equal(EjectionReason.ConsecutiveFailures, ejection.Reason);
        Assert.Equal(TimeSpan.FromSeconds(30), ejection.EjectionTime);
        Assert.Equal(1, harness.Monitor.GetEjectedCount(MeshChannelHarness.Service));

        var callsWhileEjected = failing.CallCount;
        for (var i = 0; i < 30; i++)
        {
            await client.EchoAsync(Hello); // never reaches the ejected instance, so never fails
        }

        Assert.Equal(callsWhileEjected, failing.CallCount);

        failing.Faults.Heal();
        clock.Advance(TimeSpan.FromSeconds(30)); // the return timer fires inside Advance
        Assert.Equal(failing.Name, Assert.Single(returned).Endpoint.Id);
        Assert.Equal(0, harness.Monitor.GetEjectedCount(MeshChannelHarness.Service));
        for (var i = 0; i < 30; i++)
        {
            await client.EchoAsync(Hello);
        }

        Assert.InRange(failing.CallCount - callsWhileEjected, 9, 11);
    }

    [Fact]
    public async Task OutlierEjection_AbortedConnections_EjectedThroughTheCallTrackerAlone()
    {
        await using var cluster = await TestGrpcCluster.StartAsync(3);
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));
        await using var harness = new MeshChannelHarness(balancerTime: clock);
        harness.Options.LoadBalancer = LoadBalancerKind.RoundRobin;
        harness.Options.OutlierDetection.ConsecutiveFailures = 2;
        var ejected = new TaskCompletionSource<EndpointEjectionEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        harness.Monitor.EndpointEjected += (_, e) => ejected.TrySetResult(e);
        var client = harness.CreateClient(withStatusHandler: false);
        await harness.PublishAsync([.. cluster.Servers]);
        await MeshChannelHarness.WarmUpAsync(client, [.. cluster.Servers]);
        cluster[0].Faults.AbortConnections = true;

        for (var i = 0; i < 100 && !ejected.Task.IsCompleted; i++)
        {
            try
            {
                await client.EchoAsync(Hello);
            }
            catch (RpcException)
            {
                // the aborted calls: transport errors, which the call tracker sees without the status handler
            }
        }

        Assert.Equal(cluster[0].Name, (await ejected.Task.WaitAsync(TimeSpan.FromSeconds(10))).Endpoint.Id);
        var calls = cluster[0].CallCount;
        for (var i = 0; i < 20; i++)
        {
            await client.EchoAsync(Hello);
        }

        Assert.Equal(calls, cluster[0].CallCount);
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
    public async Task NoInstances_CallFailsQuicklyWithUnavailable()
    {
        await using var harness = new MeshChannelHarness();
        var client = harness.CreateClient();
        await harness.PublishAsync(Array.Empty<TestGrpcServer>());
        var stopwatch = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<RpcException>(() => client.EchoAsync(Hello).ResponseAsync);

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.Equal("no healthy instances of 'echo'", error.Status.Detail);
        Assert.InRange(stopwatch.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task AllInstancesGone_WhileConnected_CallsFailWithUnavailable_ThenRecover()
    {
        await using var cluster = await TestGrpcCluster.StartAsync(2);
        await using var harness = new MeshChannelHarness();
        var channel = harness.CreateChannel();
        var client = new EchoService.EchoServiceClient(channel);
        await harness.PublishAsync([.. cluster.Servers]);
        await client.EchoAsync(Hello);

        await harness.PublishAsync(Array.Empty<TestGrpcServer>());
        await MeshChannelHarness.WaitForStateAsync(channel, ConnectivityState.TransientFailure);
        var error = await Assert.ThrowsAsync<RpcException>(() => client.EchoAsync(Hello).ResponseAsync);
        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.Equal("no healthy instances of 'echo'", error.Status.Detail);

        await harness.PublishAsync([.. cluster.Servers]); // the same addresses: gRPC sees no change, Mesh republishes
        await MeshChannelHarness.WaitForStateAsync(channel, ConnectivityState.Ready);
        Assert.StartsWith("echo-", (await client.EchoAsync(Hello)).Instance, StringComparison.Ordinal);
        Assert.Equal(2, cluster.Servers.Sum(s => s.ConnectionsAccepted)); // and the connections were kept
    }

    [Fact]
    public async Task Unresolved_CallFailsAfterResolveTimeout_ThenSucceedsOnceDiscoveryAnswers()
    {
        await using var server = await TestGrpcServer.StartAsync("echo-0");
        var clock = new SignallingTimeProvider();
        await using var harness = new MeshChannelHarness(resolverTime: clock);
        var channel = harness.CreateChannel();
        var client = new EchoService.EchoServiceClient(channel);

        var call = client.EchoAsync(Hello).ResponseAsync;
        await clock.AdvanceWhenScheduledAsync(harness.Options.ResolveTimeout);
        var error = await Assert.ThrowsAsync<RpcException>(() => call.WaitAsync(TimeSpan.FromSeconds(10)));

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.Equal("no healthy instances of 'echo'", error.Status.Detail);
        await harness.PublishAsync(server);
        await MeshChannelHarness.WaitForStateAsync(channel, ConnectivityState.Ready);
        Assert.Equal("echo-0", (await client.EchoAsync(Hello)).Instance);
    }

    [Fact]
    public void ForAddress_WithHost_ThrowsAnErrorShowingTheExpectedForm()
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => MeshResolverFactory.ParseServiceName(new Uri("mesh://agent/orders"), "mesh"));

        Assert.Contains("mesh:///<service-name>", error.Message, StringComparison.Ordinal);
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
