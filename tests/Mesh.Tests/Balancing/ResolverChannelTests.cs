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
