using System.Diagnostics;
using Grpc.Core;
using Mesh.Testing.Grpc;
using Mesh.Testing.Grpc.V1;

namespace Mesh.Tests.Telemetry;

/// <summary>The spans of calls through a Mesh channel, captured with OpenTelemetry's in-memory exporter.</summary>
public sealed class CallSpanTests
{
    private const string EchoSpan = "mesh.testing.v1.EchoService/Echo";

    [Fact]
    public async Task UnaryCall_Succeeds_OneClientSpanWithOneAttemptChild()
    {
        await using var server = await TestGrpcServer.StartAsync("echo-1");
        await using var app = new EchoMeshApp([server]);
        using var capture = new TraceCapture();

        await app.Client.EchoAsync(new EchoRequest { Message = "hi" });

        var call = capture.SingleCall();
        Assert.Equal(EchoSpan, call.DisplayName);
        Assert.Equal(ActivityKind.Client, call.Kind);
        Assert.Equal(capture.Root.SpanId, call.ParentSpanId);
        Assert.Equal("grpc", call.GetTagItem("rpc.system"));
        Assert.Equal("mesh.testing.v1.EchoService", call.GetTagItem("rpc.service"));
        Assert.Equal("Echo", call.GetTagItem("rpc.method"));
        Assert.Equal("echo", call.GetTagItem("mesh.service"));
        Assert.Equal(0, call.GetTagItem("rpc.grpc.status_code"));
        Assert.Equal("127.0.0.1", call.GetTagItem("server.address"));
        Assert.Equal(server.Port, call.GetTagItem("server.port"));
        Assert.Equal(ActivityStatusCode.Unset, call.Status);
        Assert.Equal("Mesh", call.Source.Name);
        Assert.False(string.IsNullOrEmpty(call.Source.Version));

        var attempt = Assert.Single(capture.AttemptsOf(call));
        Assert.Equal(ActivityKind.Internal, attempt.Kind);
        Assert.Equal(1, attempt.GetTagItem("mesh.attempt.number"));
        Assert.Equal(false, attempt.GetTagItem("mesh.attempt.hedge"));
        Assert.Equal(0d, attempt.GetTagItem("mesh.attempt.backoff_ms"));
        Assert.Equal("success", attempt.GetTagItem("mesh.attempt.outcome"));
        Assert.Equal(0, attempt.GetTagItem("rpc.grpc.status_code"));
        Assert.Equal(server.Port, attempt.GetTagItem("server.port"));
    }

    [Fact]
    public async Task UnaryCall_FailsEveryAttempt_RetriesAreChildrenAndTheCallIsAnError()
    {
        await using var server = await TestGrpcServer.StartAsync("echo-1");
        await using var app = new EchoMeshApp([server]);
        using var capture = new TraceCapture();

        var failure = await Assert.ThrowsAsync<RpcException>(() =>
            app.Client.EchoAsync(new EchoRequest { FailWithStatus = (int)StatusCode.Unavailable }).ResponseAsync);

        Assert.Equal(StatusCode.Unavailable, failure.StatusCode);
        var call = capture.SingleCall();
        Assert.Equal(ActivityStatusCode.Error, call.Status);
        Assert.Equal((int)StatusCode.Unavailable, call.GetTagItem("rpc.grpc.status_code"));
        var attempts = capture.AttemptsOf(call);
        Assert.Equal([1, 2, 3], attempts.Select(a => (int)a.GetTagItem("mesh.attempt.number")!));
        Assert.Equal(["retried", "retried", "failure"], attempts.Select(a => (string)a.GetTagItem("mesh.attempt.outcome")!));
        Assert.All(attempts, a => Assert.Equal(ActivityStatusCode.Error, a.Status));
        Assert.All(attempts, a => Assert.Equal((int)StatusCode.Unavailable, a.GetTagItem("rpc.grpc.status_code")));
        Assert.All(attempts.Skip(1), a => Assert.True((double)a.GetTagItem("mesh.attempt.backoff_ms")! >= 0));
        // Attempts run one after the other, each inside the call.
        Assert.All(attempts, a => Assert.InRange(a.StartTimeUtc, call.StartTimeUtc, call.StartTimeUtc + call.Duration));
    }

    [Fact]
    public async Task RetryDeniedByBudget_EventOnTheCallSpan()
    {
        await using var server = await TestGrpcServer.StartAsync("echo-1");
        await using var app = new EchoMeshApp([server], echo =>
        {
            echo.Policy.Budget.RetryRatio = 0;
            echo.Policy.Budget.MinRetriesPerSecond = 0;
        });
        using var capture = new TraceCapture();

        await Assert.ThrowsAsync<RpcException>(() =>
            app.Client.EchoAsync(new EchoRequest { FailWithStatus = (int)StatusCode.Unavailable }).ResponseAsync);

        var call = capture.SingleCall();
        var denied = Assert.Single(call.Events, e => e.Name == "mesh.retry_budget_exhausted");
        Assert.Equal(2, denied.Tags.Single(t => t.Key == "mesh.attempt.number").Value);
        var attempt = Assert.Single(capture.AttemptsOf(call));
        Assert.Equal("budget_denied", attempt.GetTagItem("mesh.attempt.outcome"));
    }

    [Fact]
    public async Task BreakerOpens_EventOnTheCallThatOpenedIt_ThenCallsFailFastWithoutAttempts()
    {
        await using var server = await TestGrpcServer.StartAsync("echo-1");
        await using var app = new EchoMeshApp([server], echo =>
        {
            echo.Policy.Retry.MaxAttempts = 1;
            echo.Policy.CircuitBreaker.MinimumThroughput = 2;
            echo.Balancing.OutlierDetection.Enabled = false;
        });
        using var capture = new TraceCapture();
        var failing = new EchoRequest { FailWithStatus = (int)StatusCode.Unavailable };

        for (var i = 0; i < 3; i++)
        {
            await Assert.ThrowsAsync<RpcException>(() => app.Client.EchoAsync(failing).ResponseAsync);
        }

        var calls = capture.MeshSpans.Where(a => a.Kind == ActivityKind.Client).OrderBy(a => a.StartTimeUtc).ToList();
        Assert.Equal(3, calls.Count);
        Assert.DoesNotContain(calls[0].Events, e => e.Name.StartsWith("mesh.circuit", StringComparison.Ordinal));
        Assert.Contains(calls[1].Events, e => e.Name == "mesh.circuit.opened");
        Assert.Empty(capture.AttemptsOf(calls[2]));
        Assert.Equal(ActivityStatusCode.Error, calls[2].Status);
        Assert.Contains("circuit open", calls[2].StatusDescription, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InstanceEjected_EventOnTheAttemptThatEjectedIt()
    {
        await using var cluster = await TestGrpcCluster.StartAsync(2);
        await using var app = new EchoMeshApp(cluster.Servers, echo =>
        {
            echo.Policy.Retry.MaxAttempts = 1;
            echo.Policy.CircuitBreaker.Enabled = false;
            echo.Balancing.OutlierDetection.ConsecutiveFailures = 1;
        });
        cluster[1].Faults.FailWith = StatusCode.Unavailable;
        using var capture = new TraceCapture();

        for (var i = 0; i < 10 && !capture.MeshSpans.Any(HasEjection); i++)
        {
            try
            {
                await app.Client.EchoAsync(new EchoRequest());
            }
            catch (RpcException)
            {
            }
        }

        var span = Assert.Single(capture.MeshSpans, HasEjection);
        var ejected = span.Events.Single(e => e.Name == "mesh.endpoint.ejected");
        Assert.Equal(cluster[1].Port, ejected.Tags.Single(t => t.Key == "server.port").Value);
        Assert.Equal("echo", ejected.Tags.Single(t => t.Key == "mesh.service").Value);

        static bool HasEjection(Activity a) => a.Events.Any(e => e.Name == "mesh.endpoint.ejected");
    }

    [Fact]
    public async Task ServerStreamingCall_SpanEndsWithTheStream()
    {
        await using var server = await TestGrpcServer.StartAsync("echo-1");
        await using var app = new EchoMeshApp([server]);
        using var capture = new TraceCapture();

        using (var stream = app.Client.ServerStream(new EchoRequest { Count = 3 }))
        {
            // The stream is returned synchronously: the call span must not leak into the caller's context.
            Assert.Same(capture.Root, Activity.Current);
            var replies = 0;
            while (await stream.ResponseStream.MoveNext(CancellationToken.None))
            {
                replies++;
            }

            Assert.Equal(3, replies);
        }

        var call = capture.SingleCall();
        Assert.Equal("mesh.testing.v1.EchoService/ServerStream", call.DisplayName);
        Assert.Equal(0, call.GetTagItem("rpc.grpc.status_code"));
        Assert.Single(capture.AttemptsOf(call));
    }

    [Fact]
    public async Task NoListener_NoSpan()
    {
        await using var server = await TestGrpcServer.StartAsync("echo-1");
        await using var app = new EchoMeshApp([server]);
        using var root = new Activity("unsampled-root").Start();

        await app.Client.EchoAsync(new EchoRequest());

        // Without a sampled parent, parent-based sampling records nothing; the call still went through.
        Assert.Equal(1, server.CallCount);
        Assert.Same(root, Activity.Current);
    }
}
