using System.Diagnostics;
using Grpc.Core;
using Mesh.Channels;
using Mesh.Testing.Grpc;
using Mesh.Testing.Grpc.V1;
using Mesh.Testing.Otlp;
using Mesh.Testing.Otlp.Proto.Trace.V1;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Trace;
using OtlpStatus = Mesh.Testing.Otlp.Proto.Trace.V1.Status;
using StatusCode = Grpc.Core.StatusCode;

namespace Mesh.Tests.Telemetry;

/// <summary>
/// The real OpenTelemetry OTLP/gRPC exporter, turned on by AddMeshTelemetry from OTEL_EXPORTER_OTLP_ENDPOINT, sends
/// Mesh's spans to an in-test OTLP receiver (the stand-in for Jaeger's port 4317), which decodes them.
/// </summary>
public sealed class OtlpExportTests
{
    [Fact]
    public async Task AddMeshTelemetry_WithOtlpEndpoint_ExportsCallAndAttemptSpansOverGrpc()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        await using var server = await TestGrpcServer.StartAsync("echo-1");
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ApplicationName = "otlp-client" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.Endpoint.ToString(),
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "grpc",
            ["Mesh:Registry"] = "Static",
            ["Mesh:Services:echo:Endpoints:0"] = $"{server.Host}:{server.Port}",
            ["Mesh:Services:echo:Policy:Retry:MaxAttempts"] = "2",
        });
        builder.Services.AddMesh(builder.Configuration);
        builder.Services.AddMeshTelemetry(builder.Configuration);
        using var host = builder.Build();
        await host.StartAsync();
        var client = new EchoService.EchoServiceClient(host.Services.GetRequiredService<IMeshChannels>().CreateCallInvoker("echo"));

        string traceId;
        using (var root = new Activity("otlp-test-root"))
        {
            root.ActivityTraceFlags = ActivityTraceFlags.Recorded;
            root.Start();
            traceId = root.TraceId.ToHexString();
            await client.EchoAsync(new EchoRequest { Message = "ok" });
            await Assert.ThrowsAsync<RpcException>(() => client.EchoAsync(new EchoRequest { FailWithStatus = (int)StatusCode.Unavailable }).ResponseAsync);
        }

        Assert.True(host.Services.GetRequiredService<TracerProvider>().ForceFlush(10_000));
        var spans = await receiver.WaitForSpansAsync(
            all => all.Count(s => s.TraceId == traceId && s.ScopeName == "Mesh") >= 5, TimeSpan.FromSeconds(10));

        var mesh = spans.Where(s => s.TraceId == traceId && s.ScopeName == "Mesh").ToList();
        var calls = mesh.Where(s => s.Kind == Span.Types.SpanKind.Client).ToList();
        Assert.Equal(2, calls.Count);
        Assert.All(calls, c =>
        {
            Assert.Equal("mesh.testing.v1.EchoService/Echo", c.Name);
            Assert.Equal("grpc", c.Attributes["rpc.system"]);
            Assert.Equal("mesh.testing.v1.EchoService", c.Attributes["rpc.service"]);
            Assert.Equal("Echo", c.Attributes["rpc.method"]);
            Assert.Equal("127.0.0.1", c.Attributes["server.address"]);
            Assert.Equal((long)server.Port, c.Attributes["server.port"]);
            Assert.False(string.IsNullOrEmpty(c.ScopeVersion));
        });
        var ok = Assert.Single(calls, c => (long)c.Attributes["rpc.grpc.status_code"]! == 0);
        var failed = Assert.Single(calls, c => (long)c.Attributes["rpc.grpc.status_code"]! == (long)StatusCode.Unavailable);
        Assert.Equal(OtlpStatus.Types.StatusCode.Error, failed.StatusCode);
        Assert.Equal(OtlpStatus.Types.StatusCode.Unset, ok.StatusCode);

        var okAttempt = Assert.Single(mesh, s => s.ParentSpanId == ok.SpanId);
        Assert.Equal(Span.Types.SpanKind.Internal, okAttempt.Kind);
        Assert.Equal(1L, okAttempt.Attributes["mesh.attempt.number"]);
        var failedAttempts = mesh.Where(s => s.ParentSpanId == failed.SpanId).OrderBy(s => (long)s.Attributes["mesh.attempt.number"]!).ToList();
        Assert.Equal(["retried", "failure"], failedAttempts.Select(a => (string)a.Attributes["mesh.attempt.outcome"]!));
        // No registration: the client is named after the application, not unknown_service.
        Assert.Equal("otlp-client", ok.Resource["service.name"]);
    }
}
