using System.Buffers;
using System.Net;
using System.Text;
using Grpc.Core;
using Mesh.Sidecar.Errors;
using Mesh.Sidecar.Inbound.Internal;
using Mesh.Sidecar.Tests.Grpc;
using Mesh.Sidecar.Tests.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Mesh.Sidecar.Tests.Inbound;

/// <summary>HTTP/1.1 and h2c on one cleartext port: why the sidecar sniffs the preface, and that it does so right.</summary>
public sealed class InboundPortTests
{
    [Theory]
    [InlineData("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", true)]
    [InlineData("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\0\0\x12\x04", true)]
    [InlineData("PRI * HTTP/2.0\r\n", null)]
    [InlineData("P", null)]
    [InlineData("POST / HTTP/1.1\r\n", false)]
    [InlineData("GET / HTTP/1.1\r\n\r\n", false)]
    [InlineData("PRI * HTTP/1.1\r\n", false)]
    public void Preface_IsRecognisedFromItsFirstBytes(string start, bool? expected)
    {
        Assert.Equal(expected, Http2Preface.Match(new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(start))));
    }

    [Fact]
    public async Task SamePort_ServesHttp11AndH2cPriorKnowledge()
    {
        await using var app = await ShapesApp.StartAsync();
        await using var sidecar = await RunningSidecar.StartAsync(app.Port, new() { ["Mesh:Registration:Enabled"] = "false" });
        using var http1 = new HttpClient { BaseAddress = sidecar.InboundUri };
        using var channel = global::Grpc.Net.Client.GrpcChannel.ForAddress(sidecar.InboundUri);

        var reply = await new Shapes.ShapesClient(channel).UnaryAsync(new Item { Text = "h2c" });
        using var response = await http1.GetAsync(new Uri("/any", UriKind.Relative)); // reaches the gRPC-only app as HTTP/1.1

        Assert.Equal("h2c", reply.Text);
        Assert.Equal(new Version(1, 1), response.Version);
    }

    /// <summary>
    /// The reason for <see cref="SharedInboundPort"/>: a plain cleartext Kestrel endpoint with <c>Http1AndHttp2</c>
    /// answers h2c prior knowledge with HTTP_1_1_REQUIRED (dotnet/aspnetcore#56984). If this starts failing, Kestrel
    /// has learnt to do it and the sniffing can go.
    /// </summary>
    [Fact]
    public async Task PlainKestrel_Http1AndHttp2WithoutTls_RefusesH2cPriorKnowledge()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, o => o.Protocols = HttpProtocols.Http1AndHttp2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(new ShapesApp());
        await using var kestrel = builder.Build();
        kestrel.MapGrpcService<ShapesApp>();
        await kestrel.StartAsync();
        using var channel = global::Grpc.Net.Client.GrpcChannel.ForAddress(kestrel.Urls.First());

        var failure = await Assert.ThrowsAsync<RpcException>(() => new Shapes.ShapesClient(channel).UnaryAsync(new Item()).ResponseAsync);

        Assert.Equal(StatusCode.Internal, failure.StatusCode);
        Assert.Contains("HTTP_1_1_REQUIRED", failure.Status.Detail, StringComparison.Ordinal);
        await kestrel.StopAsync();
    }

    [Fact]
    public void GrpcMessage_IsPercentEncodedAsGrpcRequires()
    {
        Assert.Equal("the app at 127.0.0.1:5000 is 100%25 down: caf%C3%A9%0A", ProxyErrorResponder.PercentEncode("the app at 127.0.0.1:5000 is 100% down: café\n"));
    }
}
