using Grpc.Core;
using Grpc.Net.Client;
using Grpc.Net.Client.Balancer;
using Mesh.Balancing;
using Mesh.Channels;
using Mesh.Discovery;
using Mesh.Testing.Grpc;
using Mesh.Testing.Grpc.V1;
using Microsoft.Extensions.DependencyInjection;

namespace Mesh.Tests.Balancing;

/// <summary>How a Mesh channel is put together: addresses, shared watches, the Static registry through AddMesh, options.</summary>
public sealed class MeshChannelWiringTests
{
    private static readonly EchoRequest Hello = new() { Message = "hello" };

    [Theory]
    [InlineData("mesh://agent/echo")]
    [InlineData("mesh:///")]
    [InlineData("mesh:///echo/extra")]
    [InlineData("mesh:///echo?dc=eu")]
    public async Task ForAddress_NotAServiceAddress_ThrowsShowingTheExpectedForm(string address)
    {
        await using var harness = new MeshChannelHarness();
        harness.CreateChannel(); // builds the service provider

        var error = Assert.ThrowsAny<ArgumentException>(() => GrpcChannel.ForAddress(address, new GrpcChannelOptions
        {
            Credentials = ChannelCredentials.Insecure,
            ServiceProvider = harness.Provider,
        }));

        Assert.Contains("mesh:///<service-name>", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TwoChannels_SameService_ShareOneDiscoveryWatch()
    {
        await using var server = await TestGrpcServer.StartAsync("echo-0");
        await using var harness = new MeshChannelHarness();
        var first = harness.CreateClient();
        var second = harness.CreateClient();
        await harness.PublishAsync(server);

        await first.EchoAsync(Hello);
        await second.EchoAsync(Hello);

        Assert.Equal(1, harness.Watcher.StartedCount);
        Assert.Equal(2, server.ConnectionsAccepted); // one connection per channel, one watch for both
    }

    [Fact]
    public async Task PreferTag_OneInstanceCarriesIt_GetsEveryCall()
    {
        await using var cluster = await TestGrpcCluster.StartAsync(3);
        await using var harness = new MeshChannelHarness();
        harness.Options.PreferTag = "zone-a";
        var client = harness.CreateClient();
        await harness.PublishAsync(MeshChannelHarness.Endpoint(cluster[0]), MeshChannelHarness.Endpoint(cluster[1], "zone-a"), MeshChannelHarness.Endpoint(cluster[2]));
        // Until every instance is connected (so the tagged one competes with the rest) and the tagged one is in the
        // picker: a server sees its connection before the client's subchannel is ready and a picker includes it, and
        // calls made in between rightly go to the others.
        for (var i = 0; i < 200 && (cluster.Servers.Any(s => s.OpenConnections == 0) || cluster[1].CallCount == 0); i++)
        {
            await client.EchoAsync(Hello);
        }

        var before = cluster.CallCounts();
        for (var i = 0; i < 30; i++)
        {
            await client.EchoAsync(Hello);
        }

        Assert.Equal(30, cluster[1].CallCount - before["echo-1"]);
    }

    [Fact]
    public async Task ServerStreaming_ThroughTheBalancer_ReceivesEveryMessage()
    {
        await using var server = await TestGrpcServer.StartAsync("echo-0");
        await using var harness = new MeshChannelHarness();
        var client = harness.CreateClient();
        await harness.PublishAsync(server);

        using var call = client.ServerStream(new EchoRequest { Message = "s", Count = 5 });
        var replies = new List<EchoReply>();
        await foreach (var reply in call.ResponseStream.ReadAllAsync())
        {
            replies.Add(reply);
        }

        Assert.Equal([0, 1, 2, 3, 4], replies.Select(r => r.Index));
    }

    [Fact]
    public async Task StaticRegistry_ThroughAddMesh_ResolvesAndBalances()
    {
        await using var cluster = await TestGrpcCluster.StartAsync(2);
        var services = new ServiceCollection().AddLogging();
        services.AddMesh(options =>
        {
            options.Registry = RegistryKind.Static;
            var echo = new ServiceOptions();
            echo.Endpoints.AddRange(cluster.Servers.Select(s => $"{s.Host}:{s.Port}"));
            echo.Balancing.LoadBalancer = LoadBalancerKind.RoundRobin;
            options.Services["echo"] = echo;
        });

        // AddMesh registers the resolvers and balancers; MeshChannelOptions points a channel at them.
        await using var provider = services.BuildServiceProvider();
        using var channel = GrpcChannel.ForAddress("mesh:///echo", MeshChannelOptions.Create(provider));
        var client = new EchoService.EchoServiceClient(channel);
        await MeshChannelHarness.WarmUpAsync(client, [.. cluster.Servers]);
        var before = cluster.CallCounts();

        for (var i = 0; i < 20; i++)
        {
            await client.EchoAsync(Hello);
        }

        Assert.All(cluster.Servers, s => Assert.Equal(10, s.CallCount - before[s.Name]));
    }

    [Fact]
    public async Task ClientFactory_WithMeshFactoriesAndStatusHandler_EjectsAFailingInstance()
    {
        await using var cluster = await TestGrpcCluster.StartAsync(3);
        await using var harness = new MeshChannelHarness();
        harness.Options.LoadBalancer = LoadBalancerKind.RoundRobin;
        harness.Options.OutlierDetection.ConsecutiveFailures = 2;
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton<IServiceDiscovery>(harness.Discovery);
        foreach (var factory in MeshBalancing.CreateResolverFactories(harness.Discovery, _ => harness.Options))
        {
            services.AddSingleton(factory);
        }

        foreach (var factory in MeshBalancing.CreateLoadBalancerFactories(_ => harness.Options, harness.Monitor))
        {
            services.AddSingleton(factory);
        }

        // Grpc.Net.ClientFactory gives the channel the app's service provider, where the factories live.
        services.AddGrpcClient<EchoService.EchoServiceClient>(o => o.Address = new Uri("mesh:///echo"))
            .ConfigureChannel(o => o.Credentials = ChannelCredentials.Insecure)
            .AddHttpMessageHandler(MeshBalancing.CreateStatusHandler);
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<EchoService.EchoServiceClient>();
        await harness.PublishAsync([.. cluster.Servers]);
        await MeshChannelHarness.WarmUpAsync(client, [.. cluster.Servers]);
        cluster[2].Faults.FailWith = StatusCode.Internal;

        for (var i = 0; i < 30; i++)
        {
            try
            {
                await client.EchoAsync(Hello);
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.Internal)
            {
                // the failing instance, until it is ejected
            }
        }

        Assert.Equal(1, harness.Monitor.GetEjectedCount("echo"));
        Assert.Equal("echo-2", Assert.Single(harness.Monitor.GetSnapshot()).Ejected.Single().Id);
    }
}
