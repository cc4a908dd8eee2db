using Grpc.Core;
using Mesh.Channels;
using Mesh.Testing.Grpc.V1;
using Mesh.Testing.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Mesh.Tests.Balancing;

/// <summary><c>Mesh:Services:&lt;name&gt;:Balancing:ConnectTimeout</c> bounds a connect that never completes (issue 11).</summary>
public sealed class ConnectTimeoutTests
{
    [Fact]
    public async Task Call_OnlyInstanceNeverCompletesItsConnect_FailsUnavailableAfterTheConnectTimeoutNotAtItsDeadline()
    {
        using var hanging = new HangingListener();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Mesh:Registry"] = "Static",
            ["Mesh:Services:echo:Endpoints:0"] = $"127.0.0.1:{hanging.Port}",
            ["Mesh:Services:echo:Balancing:ConnectTimeout"] = "00:00:01",
        }).Build();
        await using var provider = new ServiceCollection().AddLogging().AddMesh(configuration).BuildServiceProvider();
        var client = new EchoService.EchoServiceClient(provider.GetRequiredService<IMeshChannels>().CreateCallInvoker("echo"));

        // The deadline is far past the connect timeout: without one the call waits on the connect until it expires.
        var error = await Assert.ThrowsAsync<RpcException>(() =>
            client.EchoAsync(new EchoRequest { Message = "hello" }, deadline: DateTime.UtcNow.AddSeconds(30)).ResponseAsync);

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
    }
}
