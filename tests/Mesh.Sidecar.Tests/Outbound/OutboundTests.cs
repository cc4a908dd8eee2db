using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Grpc.Core;
using Grpc.Net.Client;
using Mesh.Sidecar.Errors;
using Mesh.Sidecar.Tests.Grpc;
using Mesh.Sidecar.Tests.TestSupport;

namespace Mesh.Sidecar.Tests.Outbound;

/// <summary>
/// The outbound door: an app calls its own sidecar (an upstream port, or the shared outbound port with the service in
/// Host/<c>:authority</c>), which reaches <c>orders</c> through discovery, the pickers and the call policy, to the
/// callee's sidecar and its app.
/// </summary>
public sealed class OutboundTests
{
    [Fact]
    public async Task GrpcUnaryAndServerStream_ThroughTheUpstreamPort_ReachTheCalleeApp()
    {
        await using var app = await ShapesApp.StartAsync();
        await using var mesh = await TwoSidecars.StartAsync([app.Port]);
        using var channel = GrpcChannel.ForAddress(mesh.UpstreamUri);
        var client = new Shapes.ShapesClient(channel);

        var unary = client.UnaryAsync(new Item { Text = "one" });
        var streamed = new List<string>();
        using (var server = client.ServerStream(new Item { Text = "s", Count = 3 }))
        {
            await foreach (var item in server.ResponseStream.ReadAllAsync())
            {
                streamed.Add(item.Text);
            }
        }

        Assert.Equal("one", (await unary).Text);
        Assert.Equal("unary-done", unary.GetTrailers().GetValue("shape-trailer"));
        Assert.Equal(["s-0", "s-1", "s-2"], streamed);
    }

    [Fact]
    public async Task GrpcClientAndDuplexStreams_ThroughTheUpstreamPort_StreamBothWays()
    {
        await using var app = await ShapesApp.StartAsync();
        await using var mesh = await TwoSidecars.StartAsync([app.Port]);
        using var channel = GrpcChannel.ForAddress(mesh.UpstreamUri);
        var client = new Shapes.ShapesClient(channel);

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
            // Each answer arrives before the next write: the body the sidecar keeps for a replay is not held back.
            Assert.True(await duplex.ResponseStream.MoveNext(CancellationToken.None));
            echoes.Add(duplex.ResponseStream.Current.Text);
        }

        await duplex.RequestStream.CompleteAsync();

        Assert.False(await duplex.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Equal("a,b,c", (await upload).Text);
        Assert.Equal(["echo:x", "echo:y"], echoes);
    }

    [Theory]
    [InlineData("orders")]
    [InlineData("orders:80")]
    [InlineData("orders.mesh")]
    public async Task Http11_ThroughTheSharedOutboundPort_IsRoutedByHost(string host)
    {
        await using var app = await PythonHttpApp.StartAsync();
        await using var mesh = await TwoSidecars.StartAsync([app.Port]);
        using var http = new HttpClient { BaseAddress = mesh.OutboundUri };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/hello");
        request.Headers.Host = host;

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("hello from python", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task UnknownService_FailsFast_Http503AndGrpcUnavailableNamingIt()
    {
        await using var app = await ShapesApp.StartAsync();
        await using var mesh = await TwoSidecars.StartAsync([app.Port]);
        using var http = new HttpClient { BaseAddress = mesh.OutboundUri };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/hello");
        request.Headers.Host = "payments.mesh";

        using var response = await http.SendAsync(request);
        using var channel = GrpcChannel.ForAddress(mesh.OutboundUri, new GrpcChannelOptions { HttpHandler = new AuthorityHandler("payments") });
        var failure = await Assert.ThrowsAsync<RpcException>(() => new Shapes.ShapesClient(channel).UnaryAsync(new Item { Text = "x" }).ResponseAsync);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("no-instances", response.Headers.GetValues(ProxyErrorResponder.ErrorHeader).Single());
        Assert.Contains("'payments'", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(StatusCode.Unavailable, failure.StatusCode);
        Assert.Equal("no healthy instances of 'payments'", failure.Status.Detail);
    }

    [Fact]
    public async Task OneOfThreeAppsKilledUnderSteadyCalls_NoIdempotentCallFails()
    {
        var apps = new[] { await PythonHttpApp.StartAsync(), await PythonHttpApp.StartAsync(), await PythonHttpApp.StartAsync() };
        try
        {
            await using var mesh = await TwoSidecars.StartAsync([.. apps.Select(a => a.Port)]);
            using var http = new HttpClient { BaseAddress = mesh.UpstreamUri };
            const int Calls = 60;
            var sent = 0;
            var failures = new ConcurrentQueue<string>();
            var killed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

            // Four callers in a loop, as a service under steady load; the kill lands while calls are in flight.
            async Task CallAsync()
            {
                int number;
                while ((number = Interlocked.Increment(ref sent)) <= Calls)
                {
                    if (number == Calls / 3)
                    {
                        await apps[1].DisposeAsync(); // kill -9 of the process; its sidecar stays up and answers 502 for it
                        killed.SetResult();
                    }

                    using var response = await http.GetAsync(new Uri("/hello", UriKind.Relative));
                    if (response.StatusCode != HttpStatusCode.OK)
                    {
                        failures.Enqueue($"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                    }
                }
            }

            await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(CallAsync)));

            Assert.True(killed.Task.IsCompleted);
            Assert.Empty(failures);
        }
        finally
        {
            foreach (var app in apps)
            {
                await app.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task BreakerOpens_ThenFailsFastWithoutCallingTheService()
    {
        var app = await ShapesApp.StartAsync();
        await using var mesh = await TwoSidecars.StartAsync([app.Port], new()
        {
            ["Mesh:Services:orders:Policy:Retry:MaxAttempts"] = "1",
            ["Mesh:Services:orders:Policy:CircuitBreaker:MinimumThroughput"] = "4",
        });
        await app.DisposeAsync(); // every call now fails at the callee's sidecar: UNAVAILABLE, app unreachable
        using var channel = GrpcChannel.ForAddress(mesh.UpstreamUri);
        var client = new Shapes.ShapesClient(channel);

        var details = new List<string>();
        RpcException? last = null;
        for (var i = 0; i < 5; i++)
        {
            last = await Assert.ThrowsAsync<RpcException>(() => client.UnaryAsync(new Item { Text = "x" }).ResponseAsync);
            Assert.Equal(StatusCode.Unavailable, last.StatusCode);
            details.Add(last.Status.Detail);
        }

        Assert.All(details.Take(4), d => Assert.DoesNotContain("circuit open", d, StringComparison.Ordinal));
        Assert.Equal("circuit open for 'orders'", details[4]);
        Assert.Equal("circuit-open", last!.Trailers.GetValue(ProxyErrorResponder.ErrorHeader)); // the caller's sidecar answered
    }

    [Fact]
    public async Task Endpoints_ListTheUpstreamWithItsInstancesAndBreaker()
    {
        await using var app = await ShapesApp.StartAsync();
        await using var mesh = await TwoSidecars.StartAsync([app.Port]);
        using var channel = GrpcChannel.ForAddress(mesh.UpstreamUri);
        await new Shapes.ShapesClient(channel).UnaryAsync(new Item { Text = "one" });

        using var document = JsonDocument.Parse(await mesh.Caller.Admin.GetStringAsync(new Uri("/endpoints", UriKind.Relative)));

        var upstream = Assert.Single(document.RootElement.GetProperty("upstreams").EnumerateArray());
        var instance = Assert.Single(upstream.GetProperty("instances").EnumerateArray());
        Assert.Equal("orders", upstream.GetProperty("service").GetString());
        Assert.Equal(mesh.UpstreamPort, upstream.GetProperty("port").GetInt32());
        Assert.Equal("Closed", upstream.GetProperty("breaker").GetString());
        Assert.Equal(mesh.Callees[0].InboundUri.Authority, instance.GetProperty("address").GetString());
        Assert.Equal("passing", instance.GetProperty("health").GetString());
        Assert.Equal(0, instance.GetProperty("inFlight").GetInt32());
        Assert.True(instance.GetProperty("latencyMs").GetDouble() >= 0);
        Assert.False(instance.GetProperty("ejected").GetBoolean());
        Assert.Equal(JsonValueKind.Null, instance.GetProperty("ejectedUntil").ValueKind);
    }

    [Fact]
    public async Task OutboundCall_IsOneClientSpanWithItsAttemptsAsChildren_InTheCallersTrace()
    {
        var traceId = ActivityTraceId.CreateRandom();
        var spans = new ConcurrentQueue<Activity>();
        var callEnded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Mesh",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (activity.TraceId == traceId)
                {
                    spans.Enqueue(activity);
                    if (activity.Kind == ActivityKind.Client)
                    {
                        callEnded.TrySetResult();
                    }
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        await using var app = await PythonHttpApp.StartAsync();
        await using var mesh = await TwoSidecars.StartAsync([app.Port]);
        using var http = new HttpClient { BaseAddress = mesh.UpstreamUri };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/hello");
        request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");

        using var response = await http.SendAsync(request);

        await callEnded.Task.WaitAsync(TimeSpan.FromSeconds(10)); // the call's span ends once the answer is passed on, maybe after the caller has it

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var call = Assert.Single(spans, s => s.Kind == ActivityKind.Client);
        var attempt = Assert.Single(spans, s => s.Kind == ActivityKind.Internal);
        Assert.Equal(call.SpanId, attempt.ParentSpanId);
    }

    /// <summary>Sends every request with <c>:authority</c> set to a service name, as an app calling <c>http://payments</c> through the outbound port would.</summary>
    private sealed class AuthorityHandler(string authority) : DelegatingHandler(new SocketsHttpHandler())
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.Host = authority;
            return base.SendAsync(request, cancellationToken);
        }
    }
}
