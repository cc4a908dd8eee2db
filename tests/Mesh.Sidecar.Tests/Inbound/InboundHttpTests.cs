using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Mesh.Sidecar.Tests.TestSupport;

namespace Mesh.Sidecar.Tests.Inbound;

/// <summary>A non-.NET app (Python's http.server, HTTP/1.1) behind the sidecar: bodies stream through in both directions.</summary>
public sealed class InboundHttpTests
{
    [Fact]
    public async Task PythonApp_GetThroughTheSidecar()
    {
        await using var app = await PythonHttpApp.StartAsync();
        await using var sidecar = await RunningSidecar.StartAsync(app.Port, new() { ["Mesh:Registration:Enabled"] = "false" });
        using var http = new HttpClient { BaseAddress = sidecar.InboundUri };

        using var response = await http.GetAsync(new Uri("/hello", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("hello from python", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task LargeChunkedUpload_ReachesThePythonAppWhole()
    {
        await using var app = await PythonHttpApp.StartAsync();
        await using var sidecar = await RunningSidecar.StartAsync(app.Port, new() { ["Mesh:Registration:Enabled"] = "false" });
        using var http = new HttpClient { BaseAddress = sidecar.InboundUri };
        var body = new byte[8 * 1024 * 1024];
        new Random(7).NextBytes(body);

        // A stream of unknown length goes out chunked.
        using var content = new StreamContent(new NonSeekableStream(body));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/upload") { Content = content };
        request.Headers.TransferEncodingChunked = true;
        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal($"{body.Length} {Convert.ToHexStringLower(SHA256.HashData(body))}", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task LargeChunkedDownload_ArrivesWhole()
    {
        await using var app = await PythonHttpApp.StartAsync();
        await using var sidecar = await RunningSidecar.StartAsync(app.Port, new() { ["Mesh:Registration:Enabled"] = "false" });
        using var http = new HttpClient { BaseAddress = sidecar.InboundUri };
        const int size = 16 * 1024 * 1024;

        var body = await http.GetByteArrayAsync(new Uri($"/download?n={size}", UriKind.Relative));

        Assert.Equal(size, body.Length);
        Assert.All(Enumerable.Range(0, 64), i => Assert.Equal((byte)(i * 4099 % 256), body[i * 4099])); // the app's repeating 0..255
    }

    [Fact]
    public async Task ResponseIsStreamed_TheFirstChunkArrivesBeforeTheAppFinishes()
    {
        await using var app = await PythonHttpApp.StartAsync();
        await using var sidecar = await RunningSidecar.StartAsync(app.Port, new() { ["Mesh:Registration:Enabled"] = "false" });
        using var http = new HttpClient { BaseAddress = sidecar.InboundUri };
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        using var response = await http.GetAsync(new Uri("/held", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token));
        var first = await reader.ReadLineAsync(timeout.Token); // the app is still holding the rest: a buffering proxy would hang here
        await http.GetAsync(new Uri("/release", UriKind.Relative), timeout.Token);
        var last = await reader.ReadLineAsync(timeout.Token);

        Assert.Equal(("first", "last"), (first, last));
    }

    [Fact]
    public async Task AppUnreachable_HttpCallerGets502NamingTheApp()
    {
        var deadPort = InboundGrpcTests.FreePort();
        await using var sidecar = await RunningSidecar.StartAsync(deadPort, new() { ["Mesh:Registration:Enabled"] = "false" });
        using var http = new HttpClient { BaseAddress = sidecar.InboundUri };

        using var response = await http.GetAsync(new Uri("/hello", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.StartsWith($"the app at 127.0.0.1:{deadPort} is unreachable: ", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    /// <summary>A body stream whose length is unknown, as from a pipe.</summary>
    private sealed class NonSeekableStream(byte[] data) : MemoryStream(data, writable: false)
    {
        public override bool CanSeek => false;

        public override long Length => throw new NotSupportedException();
    }
}
