using Grpc.Core;
using Mesh.Channels;
using Mesh.Testing.Grpc;
using Mesh.Testing.Grpc.V1;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Mesh.Tests.Balancing;

/// <summary>Every listed instance down (connections refused) while discovery still lists them (issue 11, all-down).</summary>
public sealed class AllInstancesRefuseTests
{
    [Fact]
    public async Task Call_EveryInstanceRefusesItsConnect_FailsWithNoReachableInstancesNotARawConnectError()
    {
        var cluster = await TestGrpcCluster.StartAsync(2);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Mesh:Registry"] = "Static",
            ["Mesh:Services:echo:Endpoints:0"] = $"127.0.0.1:{cluster[0].Port}",
            ["Mesh:Services:echo:Endpoints:1"] = $"127.0.0.1:{cluster[1].Port}",
            ["Mesh:Services:echo:Policy:Methods:mesh.testing.v1.EchoService/Echo:Idempotent"] = "true",
        }).Build();
        await using var provider = new ServiceCollection().AddLogging().AddMesh(configuration).BuildServiceProvider();
        var client = new EchoService.EchoServiceClient(provider.GetRequiredService<IMeshChannels>().CreateCallInvoker("echo"));
        for (var i = 0; i < 20; i++)
        {
            await client.EchoAsync(new EchoRequest { Message = "warm" });
        }

        await cluster.DisposeAsync(); // both stop listening; the static registry still lists them
        var details = new List<string>();
        for (var i = 0; i < 100; i++)
        {
            var error = await Assert.ThrowsAsync<RpcException>(() => client.EchoAsync(new EchoRequest { Message = "down" }).ResponseAsync);
            Assert.Equal(StatusCode.Unavailable, error.StatusCode);
            details.Add(error.Status.Detail);
        }

        // The first calls may meet the connections as they drop; after that the caller sees Mesh's answer, not gRPC's:
        // no reachable instances (the picker's, or a probe refused with no retry left), or circuit open.
        var later = details.Skip(5).ToList();
        Assert.All(later, d => Assert.Contains("'echo'", d, StringComparison.Ordinal));
        Assert.DoesNotContain(later, d => d.Contains("Connection refused", StringComparison.OrdinalIgnoreCase));
    }
}
