using System.Diagnostics;
using Grpc.Core;
using Mesh.Testing.Grpc.V1;
using Mesh.Tests.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Mesh.Tests.Telemetry;

/// <summary>
/// client → frontend (a Mesh app relaying through <c>AddGrpcClient&lt;T&gt;().AddMesh(...)</c>) → backend, on real
/// Kestrel servers: one trace end to end, each server span a child of the attempt that reached it, baggage carried.
/// </summary>
public sealed class TwoHopTraceTests
{
    /// <summary>The backend answers with the trace context and baggage its server span got from the request.</summary>
    private sealed class ContextEcho : EchoService.EchoServiceBase
    {
        public override Task<EchoReply> Echo(EchoRequest request, ServerCallContext context)
        {
            var current = Activity.Current!;
            return Task.FromResult(new EchoReply
            {
                Message = $"{current.TraceId}|{current.ParentSpanId}|{current.GetBaggageItem("tenant")}",
                Instance = "backend",
            });
        }
    }

    private sealed class Relay(EchoService.EchoServiceClient backend) : EchoService.EchoServiceBase
    {
        public override async Task<EchoReply> Echo(EchoRequest request, ServerCallContext context) => await backend.EchoAsync(request);
    }

    /// <summary>Whether <paramref name="span"/> is under <paramref name="ancestor"/>, through client spans only (no other server hop).</summary>
    private static bool Descends(Activity span, Activity ancestor, IReadOnlyList<Activity> spans)
    {
        var parentId = span.ParentSpanId;
        for (var depth = 0; depth < 4; depth++)
        {
            if (parentId == ancestor.SpanId)
            {
                return true;
            }

            var parent = spans.FirstOrDefault(s => s.SpanId == parentId);
            if (parent is null || parent.Kind == ActivityKind.Server)
            {
                return false;
            }

            parentId = parent.ParentSpanId;
        }

        return false;
    }

    [Fact]
    public async Task ClientFrontendBackend_OneTraceWithCorrectParentsAndBaggage()
    {
        await using var backend = await GrpcTestApp.StartAsync<ContextEcho>(_ => { });
        await using var frontend = await GrpcTestApp.StartAsync<Relay>(builder =>
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Mesh:Registry"] = "Static",
                ["Mesh:Services:backend:Endpoints:0"] = $"127.0.0.1:{GrpcTestApp.Port(backend)}",
            });
            builder.Services.AddMesh(builder.Configuration);
            builder.Services.AddGrpcClient<EchoService.EchoServiceClient>().AddMesh("backend");
        });
        await using var caller = new EchoMeshApp([$"127.0.0.1:{GrpcTestApp.Port(frontend)}"]);
        // grpc-dotnet's and HttpClient's client spans sit between an attempt and the server span it reaches.
        using var capture = new TraceCapture("Microsoft.AspNetCore", "Grpc.Net.Client", "System.Net.Http");
        capture.Root.AddBaggage("tenant", "acme");

        var reply = await caller.Client.EchoAsync(new EchoRequest { Message = "hi" });

        // The backend saw this test's trace id and baggage, two hops away.
        var seen = reply.Message.Split('|');
        Assert.Equal(capture.TraceId.ToHexString(), seen[0]);
        Assert.Equal("acme", seen[2]);

        var spans = capture.Spans;
        var servers = spans.Where(s => s.Kind == ActivityKind.Server).ToList();
        Assert.Equal(2, servers.Count);
        var clientCall = Assert.Single(spans, s => s.Kind == ActivityKind.Client && s.GetTagItem("mesh.service") as string == "echo");
        var clientAttempt = Assert.Single(capture.AttemptsOf(clientCall));
        var frontendServer = Assert.Single(servers, s => Descends(s, clientAttempt, spans));
        var frontendCall = Assert.Single(spans, s => s.Kind == ActivityKind.Client && s.GetTagItem("mesh.service") as string == "backend");
        Assert.Equal(frontendServer.SpanId, frontendCall.ParentSpanId);
        var frontendAttempt = Assert.Single(capture.AttemptsOf(frontendCall));
        var backendServer = Assert.Single(servers, s => s != frontendServer);
        Assert.True(Descends(backendServer, frontendAttempt, spans));
        Assert.Equal(backendServer.ParentSpanId.ToHexString(), seen[1]);
        Assert.Equal(clientCall.SpanId, clientAttempt.ParentSpanId);
        Assert.Equal(capture.Root.SpanId, clientCall.ParentSpanId);
        Assert.Equal(GrpcTestApp.Port(backend), frontendCall.GetTagItem("server.port"));
    }

    private static Task<WebApplication> StartRelayAsync(string next, int nextPort) =>
        GrpcTestApp.StartAsync<Relay>(builder =>
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Mesh:Registry"] = "Static",
                [$"Mesh:Services:{next}:Endpoints:0"] = $"127.0.0.1:{nextPort}",
            });
            builder.Services.AddMesh(builder.Configuration);
            builder.Services.AddGrpcClient<EchoService.EchoServiceClient>().AddMesh(next);
        });

    [Fact]
    public async Task FrontendBackendDatabase_OneTraceAcrossThreeServices()
    {
        await using var database = await GrpcTestApp.StartAsync<ContextEcho>(_ => { });
        await using var backend = await StartRelayAsync("database", GrpcTestApp.Port(database));
        await using var frontend = await StartRelayAsync("backend", GrpcTestApp.Port(backend));
        await using var caller = new EchoMeshApp([$"127.0.0.1:{GrpcTestApp.Port(frontend)}"]);
        using var capture = new TraceCapture("Microsoft.AspNetCore", "Grpc.Net.Client", "System.Net.Http");
        capture.Root.AddBaggage("tenant", "acme");

        var reply = await caller.Client.EchoAsync(new EchoRequest { Message = "hi" });

        var seen = reply.Message.Split('|');
        Assert.Equal(capture.TraceId.ToHexString(), seen[0]);
        Assert.Equal("acme", seen[2]);
        var spans = capture.Spans;
        Assert.All(spans, s => Assert.Equal(capture.TraceId, s.TraceId));
        var servers = spans.Where(s => s.Kind == ActivityKind.Server).ToList();
        Assert.Equal(3, servers.Count);

        // Each hop: the Mesh call span sits under the server span handling the request (or the test's root), and
        // the next server span under that call's attempt.
        var parent = capture.Root;
        foreach (var service in new[] { "echo", "backend", "database" })
        {
            var call = Assert.Single(spans, s => s.Kind == ActivityKind.Client && s.GetTagItem("mesh.service") as string == service);
            Assert.Equal(parent.SpanId, call.ParentSpanId);
            var attempt = Assert.Single(capture.AttemptsOf(call));
            parent = Assert.Single(servers, s => Descends(s, attempt, spans));
        }

        Assert.Equal(parent.ParentSpanId.ToHexString(), seen[1]); // the last server span found is the one the database saw
    }

    [Fact]
    public async Task AddMeshInstrumentationOnly_ServerSpanIsTheAttemptsChild()
    {
        // Users who wire OpenTelemetry themselves with AddMeshInstrumentation() (and ASP.NET Core's server spans) but
        // not grpc-dotnet's or HttpClient's: the server's parent must still be a span they export.
        await using var backend = await GrpcTestApp.StartAsync<ContextEcho>(_ => { });
        await using var caller = new EchoMeshApp([$"127.0.0.1:{GrpcTestApp.Port(backend)}"]);
        using var capture = new TraceCapture("Microsoft.AspNetCore");

        var reply = await caller.Client.EchoAsync(new EchoRequest { Message = "hi" });

        var attempt = Assert.Single(capture.AttemptsOf(capture.SingleCall()));
        Assert.Equal(attempt.SpanId.ToHexString(), reply.Message.Split('|')[1]);
        var server = Assert.Single(capture.Spans, s => s.Kind == ActivityKind.Server);
        Assert.Equal(attempt.SpanId, server.ParentSpanId);
    }
}
