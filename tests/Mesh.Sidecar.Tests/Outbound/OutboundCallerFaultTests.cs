using System.Net;
using System.Net.Sockets;
using System.Text;
using Grpc.Core;
using Mesh.Resilience;
using Mesh.Sidecar.Tests.TestSupport;
using Mesh.Tests.TestSupport;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Yarp.ReverseProxy.Forwarder;

namespace Mesh.Sidecar.Tests.Outbound;

/// <summary>
/// What the outbound door makes of attempts that end for reasons other than the instance: the caller breaking its own
/// upload, the forwarder throwing, the caller leaving during a retry's backoff. None is the instance's failure, none
/// leaks a count, and the call ends with what really happened.
/// </summary>
public sealed class OutboundCallerFaultTests
{
    [Fact]
    public async Task UploadsTheCallerBreaks_AreNotTheServicesFailures_TheBreakerStaysClosed()
    {
        await using var app = await PythonHttpApp.StartAsync();
        await using var caller = await CallerSidecar.StartAsync([app.Port], new()
        {
            ["Mesh:Services:orders:Policy:Retry:MaxAttempts"] = "1",
            ["Mesh:Services:orders:Policy:CircuitBreaker:MinimumThroughput"] = "3",
        });

        for (var i = 0; i < 3; i++)
        {
            // A malformed chunked body: the caller's own fault, found while the request is being forwarded.
            await SendRawAsync(caller.UpstreamPort, "POST /upload HTTP/1.1\r\nHost: orders\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\nnot-a-chunk-size\r\n");
        }

        using var response = await caller.Http.GetAsync(new Uri("/hello", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode); // not "circuit open for 'orders'"
        Assert.Equal("Closed", (await caller.UpstreamAsync()).GetProperty("breaker").GetString());
    }

    [Fact]
    public async Task AnAttemptTheForwarderThrowsOutOf_ReleasesTheInFlightCountAndTheBreakersProbe()
    {
        await using var app = await PythonHttpApp.StartAsync();
        var time = new SignallingTimeProvider();
        var forwarder = new SwitchableForwarder();
        await using var caller = await CallerSidecar.StartAsync([app.Port], new()
        {
            ["Mesh:Services:orders:Policy:Retry:MaxAttempts"] = "1",
            ["Mesh:Services:orders:Policy:CircuitBreaker:MinimumThroughput"] = "2",
        }, time, builder => builder.Services.AddSingleton<IHttpForwarder>(forwarder));
        using var failed = await caller.Http.GetAsync(new Uri("/unavailable", UriKind.Relative));
        using var opening = await caller.Http.GetAsync(new Uri("/unavailable", UriKind.Relative)); // opens the breaker
        time.Advance(CallPolicyDefaults.BreakDuration); // half-open: the next call is the probe

        forwarder.Throw = true;
        using var thrown = await caller.Http.GetAsync(new Uri("/hello", UriKind.Relative));
        var instance = await caller.InstanceAsync(app.Port);
        forwarder.Throw = false;
        using var probe = await caller.Http.GetAsync(new Uri("/hello", UriKind.Relative));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, opening.StatusCode);
        Assert.Equal(HttpStatusCode.InternalServerError, thrown.StatusCode);
        Assert.Equal(0, instance.GetProperty("inFlight").GetInt32());
        Assert.Equal(HttpStatusCode.OK, probe.StatusCode); // the thrown attempt gave its probe slot back
    }

    [Fact]
    public async Task ACallerLeavingDuringARetrysBackoff_EndsTheCallCancelled_NotOk()
    {
        await using var app = await PythonHttpApp.StartAsync();
        var time = new SignallingTimeProvider();
        var recorder = new PolicyRecorder();
        await using var caller = await CallerSidecar.StartAsync([app.Port], time: time, configure: builder => builder.Services.AddSingleton<ICallPolicyObserver>(recorder));
        using var leave = new CancellationTokenSource();

        var call = caller.Http.GetAsync(new Uri("/unavailable?pushback=60000", UriKind.Relative), leave.Token);
        await time.WaitForTimerAsync(due => due == TimeSpan.FromMinutes(1)); // the retry's backoff, asked for by the instance
        await leave.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.Equal(StatusCode.Cancelled, (await recorder.NextCallAsync()).StatusCode);
    }

    /// <summary>Sends raw bytes as a caller would and returns the answer's status line (empty if the connection closed).</summary>
    private static async Task<string> SendRawAsync(int port, string request)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request), timeout.Token);
        using var reader = new StreamReader(stream);
        return await reader.ReadLineAsync(timeout.Token) ?? string.Empty;
    }

    /// <summary>YARP's own forwarder, made to throw on demand as a transform or the forwarder itself may.</summary>
    private sealed class SwitchableForwarder : IHttpForwarder
    {
        private readonly IHttpForwarder _inner = new ServiceCollection().AddLogging().AddHttpForwarder().BuildServiceProvider().GetRequiredService<IHttpForwarder>();

        public volatile bool Throw;

        public ValueTask<ForwarderError> SendAsync(HttpContext context, string destinationPrefix, HttpMessageInvoker httpClient, ForwarderRequestConfig requestConfig, HttpTransformer transformer) =>
            SendAsync(context, destinationPrefix, httpClient, requestConfig, transformer, CancellationToken.None);

        public ValueTask<ForwarderError> SendAsync(HttpContext context, string destinationPrefix, HttpMessageInvoker httpClient, ForwarderRequestConfig requestConfig, HttpTransformer transformer, CancellationToken cancellationToken) =>
            Throw ? throw new InvalidOperationException("a transform failed") : _inner.SendAsync(context, destinationPrefix, httpClient, requestConfig, transformer, cancellationToken);
    }
}
