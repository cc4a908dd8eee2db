using Grpc.Core;
using Mesh.Balancing;
using Mesh.Testing.Grpc;
using Mesh.Testing.Grpc.V1;
using Microsoft.Extensions.Time.Testing;

namespace Mesh.Tests.Balancing;

/// <summary>Outlier ejection in Mesh channels against real servers that fail; the ejection clock is fake.</summary>
public sealed class OutlierEjectionChannelTests
{
    private static readonly EchoRequest Hello = new() { Message = "hello" };

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
}
