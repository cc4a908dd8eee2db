using Grpc.Core;
using Mesh.Channels;
using Mesh.Testing.Grpc.V1;
using Mesh.Testing.Otlp;
using Mesh.Testing.Otlp.Proto.Trace.V1;
using Mesh.Tests.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Trace;

namespace Mesh.Tests.Telemetry;

/// <summary>
/// What Jaeger receives from three Mesh apps that only call <c>AddMeshTelemetry</c> (no other instrumentation, no
/// listener in the test): client → frontend (relaying through <c>AddGrpcClient&lt;T&gt;().AddMesh</c>) → backend,
/// exported over OTLP. Every span's parent must be exported too, or the tree shows a hole.
/// </summary>
public sealed class TraceTreeTests
{
    private sealed class Backend : EchoService.EchoServiceBase
    {
        public override Task<EchoReply> Echo(EchoRequest request, ServerCallContext context) =>
            Task.FromResult(new EchoReply { Message = request.Message, Instance = "trace-back" });
    }

    private sealed class Relay(EchoService.EchoServiceClient backend) : EchoService.EchoServiceBase
    {
        public override async Task<EchoReply> Echo(EchoRequest request, ServerCallContext context) => await backend.EchoAsync(request);
    }

    private static Dictionary<string, string?> Otlp(OtlpReceiver receiver) => new()
    {
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.Endpoint.ToString(),
        ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "grpc",
        ["Mesh:Registry"] = "Static",
    };

    [Fact]
    public async Task AddMeshTelemetryOnly_ThreeApps_EveryExportedSpansParentIsExported()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        await using var backend = await GrpcTestApp.StartAsync<Backend>(builder =>
        {
            builder.Configuration.AddInMemoryCollection(Otlp(receiver));
            builder.Services.AddMeshTelemetry(builder.Configuration);
        });
        await using var frontend = await GrpcTestApp.StartAsync<Relay>(builder =>
        {
            builder.Configuration.AddInMemoryCollection(Otlp(receiver));
            builder.Configuration["Mesh:Services:trace-back:Endpoints:0"] = $"127.0.0.1:{backend.Port()}";
            builder.Services.AddMesh(builder.Configuration);
            builder.Services.AddGrpcClient<EchoService.EchoServiceClient>().AddMesh("trace-back");
            builder.Services.AddMeshTelemetry(builder.Configuration);
        });
        var clientBuilder = Host.CreateApplicationBuilder();
        clientBuilder.Configuration.AddInMemoryCollection(Otlp(receiver));
        clientBuilder.Configuration["Mesh:Services:trace-front:Endpoints:0"] = $"127.0.0.1:{frontend.Port()}";
        clientBuilder.Services.AddMesh(clientBuilder.Configuration);
        clientBuilder.Services.AddMeshTelemetry(clientBuilder.Configuration);
        using var client = clientBuilder.Build();
        await client.StartAsync();

        var invoker = client.Services.GetRequiredService<IMeshChannels>().CreateCallInvoker("trace-front");
        await new EchoService.EchoServiceClient(invoker).EchoAsync(new EchoRequest { Message = "hi" });
        foreach (var services in new[] { client.Services, frontend.Services, backend.Services })
        {
            Assert.True(services.GetRequiredService<TracerProvider>().ForceFlush(10_000));
        }

        // The client's call span is the root; each hop adds a call, an attempt and a server span.
        string? traceId = null;
        var received = await receiver.WaitForSpansAsync(all =>
        {
            traceId ??= all.FirstOrDefault(s => s.Kind == Span.Types.SpanKind.Client && s.Attributes.GetValueOrDefault("mesh.service") as string == "trace-front")?.TraceId;
            return traceId is not null && all.Where(s => s.TraceId == traceId).Select(s => s.SpanId).Distinct().Count() >= 6
                && all.Count(s => s.TraceId == traceId && s.Kind == Span.Types.SpanKind.Server) >= 2;
        }, TimeSpan.FromSeconds(20));

        // Each app's provider also exports the other apps' spans (listeners are process-wide): one per span id.
        var spans = received.Where(s => s.TraceId == traceId).GroupBy(s => s.SpanId).Select(g => g.First()).ToList();
        var ids = spans.Select(s => s.SpanId).ToHashSet();
        var orphans = spans.Where(s => s.ParentSpanId.Length > 0 && !ids.Contains(s.ParentSpanId)).Select(s => $"{s.Kind} {s.Name} ({s.ScopeName})");
        Assert.Empty(orphans);
        var root = Assert.Single(spans, s => s.ParentSpanId.Length == 0);
        Assert.Equal("trace-front", root.Attributes["mesh.service"]);

        // The wire carries the attempt's context: each server span is the child of the attempt that reached it.
        foreach (var server in spans.Where(s => s.Kind == Span.Types.SpanKind.Server))
        {
            var parent = spans.Single(s => s.SpanId == server.ParentSpanId);
            Assert.Equal(("Mesh", Span.Types.SpanKind.Internal), (parent.ScopeName, parent.Kind));
        }

        await client.StopAsync();
    }
}
