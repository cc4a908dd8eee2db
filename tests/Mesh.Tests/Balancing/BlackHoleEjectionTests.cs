using Grpc.Core;
using Mesh.Balancing;
using Mesh.Channels;
using Mesh.Testing.Grpc;
using Mesh.Testing.Grpc.V1;
using Mesh.Testing.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Mesh.Tests.Balancing;

/// <summary>An instance that accepts connections and never answers is ejected on its callers' deadlines (issue 11, scenario 5).</summary>
public sealed class BlackHoleEjectionTests
{
    [Fact]
    public async Task Calls_OneInstanceNeverAnswers_ItIsEjectedAfterConsecutiveDeadlines()
    {
        using var hole = new BlackHoleListener();
        await using var server = await TestGrpcServer.StartAsync("echo-0");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Mesh:Registry"] = "Static",
            ["Mesh:Services:echo:Endpoints:0"] = $"127.0.0.1:{hole.Port}",
            ["Mesh:Services:echo:Endpoints:1"] = $"127.0.0.1:{server.Port}",
            // Round robin: every other call goes to the black hole until it is ejected.
            ["Mesh:Services:echo:Balancing:LoadBalancer"] = "RoundRobin",
        }).Build();
        await using var provider = new ServiceCollection().AddLogging().AddMesh(configuration).BuildServiceProvider();
        var client = new EchoService.EchoServiceClient(provider.GetRequiredService<IMeshChannels>().CreateCallInvoker("echo"));
        var monitor = provider.GetRequiredService<BalancingMonitor>();
        var ejected = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        monitor.EndpointEjected += (_, e) => ejected.TrySetResult(e.Endpoint.Authority);

        var timedOut = 0;
        for (var i = 0; i < 20 && !ejected.Task.IsCompleted; i++)
        {
            try
            {
                await client.EchoAsync(new EchoRequest { Message = "hello" }, deadline: DateTime.UtcNow.AddMilliseconds(300));
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.DeadlineExceeded)
            {
                timedOut++;
            }
        }

        Assert.True(ejected.Task.IsCompleted, $"not ejected after {timedOut} calls ran out of time on it");
        Assert.Equal($"127.0.0.1:{hole.Port}", await ejected.Task);
    }
}
