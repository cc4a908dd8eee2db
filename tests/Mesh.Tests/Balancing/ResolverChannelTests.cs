using System.Diagnostics;
using Grpc.Core;
using Mesh.Balancing;
using Mesh.Testing.Grpc;
using Mesh.Testing.Grpc.V1;
using Mesh.Tests.TestSupport;

namespace Mesh.Tests.Balancing;

/// <summary>A Mesh channel when discovery has no instance, or has not answered.</summary>
public sealed class ResolverChannelTests
{
    private static readonly EchoRequest Hello = new() { Message = "hello" };

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
    public async Task LastInstanceLeavesThenStops_CallsFailFastWithNoHealthyInstances()
    {
        // The demo's last step: maintenance takes the instance out of discovery, then it deregisters and exits.
        await using var server = await TestGrpcServer.StartAsync("echo-0");
        await using var harness = new MeshChannelHarness();
        var channel = harness.CreateChannel();
        var client = new EchoService.EchoServiceClient(channel);
        await harness.PublishAsync(server);
        await client.EchoAsync(Hello);
        await harness.PublishAsync(Array.Empty<TestGrpcServer>());
        await MeshChannelHarness.WaitForStateAsync(channel, ConnectivityState.TransientFailure);

        await server.StopAsync();
        var details = new List<string>();
        var stopwatch = Stopwatch.StartNew();
        for (var i = 0; i < 20; i++)
        {
            var error = await Assert.ThrowsAsync<RpcException>(() => client.EchoAsync(Hello).ResponseAsync.WaitAsync(TimeSpan.FromSeconds(10)));
            details.Add($"{error.StatusCode}: {error.Status.Detail}");
        }

        Assert.All(details, d => Assert.Equal("Unavailable: no healthy instances of 'echo'", d));
        Assert.InRange(stopwatch.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(3));
        // And the channel lets the connection go rather than reconnecting to an instance discovery no longer lists.
        var balancer = await harness.WaitForBalancerAsync(b => b.ConnectionCount == 0);
        Assert.Empty(balancer.Ready);
        Assert.Equal(ConnectivityState.TransientFailure, channel.State);
    }

    [Fact]
    public async Task AllInstancesGone_OneOfTwoConnectionsDrops_BothAreReleased_ThenRecover()
    {
        await using var cluster = await TestGrpcCluster.StartAsync(2);
        await using var harness = new MeshChannelHarness();
        var channel = harness.CreateChannel();
        var client = new EchoService.EchoServiceClient(channel);
        await harness.PublishAsync([.. cluster.Servers]);
        await MeshChannelHarness.WarmUpAsync(client, [.. cluster.Servers]);
        await harness.PublishAsync(Array.Empty<TestGrpcServer>());
        await harness.WaitForBalancerAsync(b => b.Ready.IsEmpty);
        Assert.Equal(2, harness.Monitor.GetSnapshot().Single().ConnectionCount); // kept while all stay up

        await cluster[0].StopAsync();

        await harness.WaitForBalancerAsync(b => b.ConnectionCount == 0);
        var error = await Assert.ThrowsAsync<RpcException>(() => client.EchoAsync(Hello).ResponseAsync);
        Assert.Equal("no healthy instances of 'echo'", error.Status.Detail);
        await harness.PublishAsync(cluster[1]);
        await harness.WaitForBalancerAsync(b => b.Ready.Length == 1);
        Assert.Equal(cluster[1].Name, (await client.EchoAsync(Hello)).Instance);
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
}
