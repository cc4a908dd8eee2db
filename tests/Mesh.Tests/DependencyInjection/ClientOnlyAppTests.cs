using Grpc.Net.Client;
using Mesh.Channels;
using Mesh.Testing.Grpc;
using Mesh.Testing.Grpc.V1;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Mesh.Tests.DependencyInjection;

/// <summary>
/// A process that only calls others: <c>AddGrpcClient&lt;T&gt;().AddMesh(name)</c> and nothing else, configured from the
/// host's configuration, as in the README's "A client-only app".
/// </summary>
public sealed class ClientOnlyAppTests
{
    [Fact]
    public async Task AddGrpcClientAddMesh_WithoutServicesAddMesh_CallsThroughTheMesh()
    {
        await using var server = await TestGrpcServer.StartAsync("orders-1");
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Mesh:Registry"] = "Static",
            ["Mesh:Services:orders:Endpoints:0"] = $"{server.Host}:{server.Port}",
        });
        builder.Services.AddGrpcClient<EchoService.EchoServiceClient>().AddMesh("orders");
        using var host = builder.Build();
        await host.StartAsync();

        var reply = await host.Services.GetRequiredService<EchoService.EchoServiceClient>().EchoAsync(new EchoRequest { Message = "hi" });

        Assert.Equal("orders-1", reply.Instance);
        await host.StopAsync();
    }

    [Fact]
    public async Task AddGrpcClientAddMesh_InAContainerWithoutConfiguration_UsesTheDefaults()
    {
        // No IConfiguration at all: the defaults apply (the Local registry), and the call fails with Mesh's answer for
        // a service nobody registered rather than with a missing-resolver error.
        var services = new ServiceCollection().AddLogging();
        services.AddGrpcClient<EchoService.EchoServiceClient>().AddMesh("nobody-registers-this");
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<EchoService.EchoServiceClient>();

        var ex = await Assert.ThrowsAsync<Grpc.Core.RpcException>(() => client.EchoAsync(new EchoRequest(), deadline: DateTime.UtcNow.AddSeconds(30)).ResponseAsync);

        Assert.Equal(Grpc.Core.StatusCode.Unavailable, ex.StatusCode);
        Assert.Contains("no healthy instances of 'nobody-registers-this'", ex.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void MeshChannelOptionsCreate_ProviderWithoutMesh_SaysWhatToAdd()
    {
        using var provider = new ServiceCollection().AddLogging().BuildServiceProvider();

        var ex = Assert.Throws<InvalidOperationException>(() => GrpcChannel.ForAddress("mesh:///orders", MeshChannelOptions.Create(provider)));

        Assert.Contains("services.AddMesh(configuration)", ex.Message, StringComparison.Ordinal);
    }
}
