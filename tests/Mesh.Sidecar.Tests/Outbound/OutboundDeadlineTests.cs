using Grpc.Core;
using Grpc.Net.Client;
using Mesh.Sidecar.Tests.Grpc;
using Mesh.Sidecar.Tests.TestSupport;

namespace Mesh.Sidecar.Tests.Outbound;

/// <summary>A caller's deadline, however far away, is passed on: it never makes the outbound door fail the call.</summary>
public sealed class OutboundDeadlineTests
{
    [Theory]
    [InlineData(60)] // past the ~49.7 days a timer can wait
    [InlineData(3650)]
    public async Task GrpcCall_WithAFarDeadline_IsForwarded(int days)
    {
        await using var app = await ShapesApp.StartAsync();
        await using var mesh = await TwoSidecars.StartAsync([app.Port]);
        using var channel = GrpcChannel.ForAddress(mesh.UpstreamUri);
        var client = new Shapes.ShapesClient(channel);

        var reply = await client.UnaryAsync(new Item { Text = "far" }, deadline: DateTime.UtcNow.AddDays(days));

        Assert.Equal("far", reply.Text);
    }

    [Theory]
    [InlineData("99999999H")] // ~11,400 years: past DateTime.MaxValue
    [InlineData("0m")]
    public async Task GrpcCall_WithAnExtremeGrpcTimeout_GetsAGrpcAnswer(string timeout)
    {
        await using var app = await ShapesApp.StartAsync();
        await using var mesh = await TwoSidecars.StartAsync([app.Port]);
        using var http = new HttpClient { BaseAddress = mesh.UpstreamUri, DefaultRequestVersion = System.Net.HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/mesh.sidecar.testing.v1.Shapes/Unary") { Content = new ByteArrayContent([0, 0, 0, 0, 0]) };
        request.Content.Headers.ContentType = new("application/grpc");
        request.Headers.TryAddWithoutValidation("grpc-timeout", timeout);
        request.Headers.TryAddWithoutValidation("te", "trailers");

        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode); // a gRPC answer (status in headers or trailers), not a 500
    }
}
