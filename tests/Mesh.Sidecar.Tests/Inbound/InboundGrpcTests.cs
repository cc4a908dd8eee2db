using Grpc.Core;
using Mesh.Sidecar.Tests.Grpc;
using Mesh.Sidecar.Tests.TestSupport;
using Mesh.Testing.Consul;
using Mesh.Testing.Grpc;
using Mesh.Testing.Grpc.V1;

namespace Mesh.Sidecar.Tests.Inbound;

/// <summary>
/// A .NET client that takes the library calls <c>mesh:///orders</c>; the registry points it at the sidecar's inbound
/// port (where the sidecar registered the app), and the sidecar forwards to the Kestrel gRPC app behind it.
/// </summary>
public sealed class InboundGrpcTests
{
    [Fact]
    public async Task FourCallShapes_ThroughTheSidecar_OverTheLocalRegistry()
    {
        await using var app = await ShapesApp.StartAsync();
        await using var sidecar = await RunningSidecar.StartAsync(app.Port);
        await using var caller = await MeshClient.StartAsync(new() { ["Mesh:Registry"] = "Local", ["Mesh:Local:Directory"] = sidecar.RegistryDirectory });
        var client = new Shapes.ShapesClient(caller.Invoker());

        var unary = client.UnaryAsync(new Item { Text = "one" });
        Assert.Equal("one", (await unary).Text);
        Assert.Equal("unary-done", unary.GetTrailers().GetValue("shape-trailer")); // trailers pass through

        using var server = client.ServerStream(new Item { Text = "s", Count = 3 });
        var streamed = new List<string>();
        await foreach (var item in server.ResponseStream.ReadAllAsync())
        {
            streamed.Add(item.Text);
        }

        using var upload = client.ClientStream();
        foreach (var text in new[] { "a", "b", "c" })
        {
            await upload.RequestStream.WriteAsync(new Item { Text = text });
        }

        await upload.RequestStream.CompleteAsync();

        using var duplex = client.Duplex();
        var echoes = new List<string>();
        foreach (var text in new[] { "x", "y" })
        {
            await duplex.RequestStream.WriteAsync(new Item { Text = text });
            Assert.True(await duplex.ResponseStream.MoveNext(CancellationToken.None)); // each answer arrives before the next write
            echoes.Add(duplex.ResponseStream.Current.Text);
        }

        await duplex.RequestStream.CompleteAsync();
        Assert.False(await duplex.ResponseStream.MoveNext(CancellationToken.None));

        Assert.Equal(["s-0", "s-1", "s-2"], streamed);
        Assert.Equal(("a,b,c", 3), ((await upload).Text, (await upload).Count));
        Assert.Equal(["echo:x", "echo:y"], echoes);
    }

    [Fact]
    public async Task Deadline_ReachesTheApp_AndEndsTheCallThere()
    {
        await using var app = await ShapesApp.StartAsync();
        await using var sidecar = await RunningSidecar.StartAsync(app.Port);
        await using var caller = await MeshClient.StartAsync(new() { ["Mesh:Registry"] = "Local", ["Mesh:Local:Directory"] = sidecar.RegistryDirectory });
        var client = new Shapes.ShapesClient(caller.Invoker());

        await client.UnaryAsync(new Item { Text = "warm" }); // resolved and connected: the deadline is all the app's
        var deadline = DateTime.UtcNow.AddSeconds(2);
        var call = client.HangAsync(new Item(), deadline: deadline);
        var appDeadline = await app.HangStarted.WaitAsync(TimeSpan.FromSeconds(10));
        var failure = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);
        await app.HangCancelled.WaitAsync(TimeSpan.FromSeconds(10)); // the app's own deadline ended its work

        Assert.Equal(StatusCode.DeadlineExceeded, failure.StatusCode);
        // grpc-timeout was passed on: the app knows (to transit time) when its caller gives up, and stops then too.
        Assert.InRange(appDeadline, deadline.AddSeconds(-1), deadline.AddSeconds(1));
    }

    [Fact]
    public async Task CallerCancels_TheAppSeesTheCancellation()
    {
        await using var app = await ShapesApp.StartAsync();
        await using var sidecar = await RunningSidecar.StartAsync(app.Port);
        await using var caller = await MeshClient.StartAsync(new() { ["Mesh:Registry"] = "Local", ["Mesh:Local:Directory"] = sidecar.RegistryDirectory });
        var client = new Shapes.ShapesClient(caller.Invoker());
        using var cancel = new CancellationTokenSource();

        var call = client.HangAsync(new Item(), cancellationToken: cancel.Token);
        await app.HangStarted.WaitAsync(TimeSpan.FromSeconds(10));
        await cancel.CancelAsync();
        var failure = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);

        await app.HangCancelled.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(StatusCode.Cancelled, failure.StatusCode);
    }

    [Fact]
    public async Task EchoApp_ThroughTheSidecar_OverTheConsulEmulator()
    {
        await using var consul = await ConsulEmulator.StartNewAsync();
        await using var app = await TestGrpcServer.StartAsync("orders-app");
        await using var sidecar = await RunningSidecar.StartAsync(app.Port, ConsulSettings(consul));
        await using var caller = await MeshClient.StartAsync(ConsulSettings(consul));
        var client = new EchoService.EchoServiceClient(caller.Invoker());

        var reply = await client.EchoAsync(new EchoRequest { Message = "hi" });
        using var stream = client.ServerStream(new EchoRequest { Message = "s", Count = 2 });
        var replies = 0;
        await foreach (var _ in stream.ResponseStream.ReadAllAsync())
        {
            replies++;
        }

        var registered = Assert.Single(consul.Services("orders"));
        Assert.Equal(("orders-app", 2), (reply.Instance, replies));
        Assert.Equal(sidecar.Listeners.InboundBound!.Port, registered.Port); // the inbound port, not the app's or the admin's
        Assert.Equal("passing", registered.AggregatedStatus);
    }

    [Fact]
    public async Task AppUnreachable_GrpcCallerGetsTrailersOnlyUnavailableNamingTheApp()
    {
        var deadPort = FreePort();
        await using var sidecar = await RunningSidecar.StartAsync(deadPort, new() { ["Mesh:Registration:Enabled"] = "false" });
        using var channel = global::Grpc.Net.Client.GrpcChannel.ForAddress(sidecar.InboundUri);
        var client = new Shapes.ShapesClient(channel);

        var call = client.UnaryAsync(new Item { Text = "x" });
        var failure = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);

        Assert.Equal(StatusCode.Unavailable, failure.StatusCode);
        Assert.StartsWith($"the app at 127.0.0.1:{deadPort} is unreachable: ", failure.Status.Detail, StringComparison.Ordinal);
        Assert.Equal("unreachable", (await call.ResponseHeadersAsync).GetValue("mesh-proxy-error"));
    }

    internal static Dictionary<string, string?> ConsulSettings(ConsulEmulator consul) => new()
    {
        ["Mesh:Registry"] = "Consul",
        ["Mesh:Consul:Address"] = consul.Address.ToString(),
    };

    internal static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
