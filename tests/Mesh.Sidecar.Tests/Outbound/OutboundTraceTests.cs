using System.Diagnostics;
using System.Net;
using Grpc.Core;
using Grpc.Net.Client;
using Mesh.Sidecar.Tests.Grpc;
using Mesh.Sidecar.Tests.TestSupport;
using Mesh.Testing.Otlp;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;
using SpanKind = Mesh.Testing.Otlp.Proto.Trace.V1.Span.Types.SpanKind;

namespace Mesh.Sidecar.Tests.Outbound;

/// <summary>
/// What Jaeger gets from app → caller's sidecar → callee's sidecar → app, exported over OTLP by both sidecars: one
/// trace, whether the calling app sends its trace context or not, and no span whose parent is missing.
/// </summary>
public sealed class OutboundTraceTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task AnAppThatPropagates_OneTraceAppToSidecarToSidecarToApp_NoMissingParent()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        await using var app = await ShapesApp.StartAsync();
        await using var mesh = await TwoSidecars.StartAsync([app.Port], shared: Otlp(receiver));
        var traceId = ActivityTraceId.CreateRandom().ToHexString();
        var appSpan = ActivitySpanId.CreateRandom().ToHexString();
        using var handler = new SocketsHttpHandler { ActivityHeadersPropagator = DistributedContextPropagator.CreateNoOutputPropagator() };
        using var channel = GrpcChannel.ForAddress(mesh.UpstreamUri, new GrpcChannelOptions { HttpHandler = handler });

        await new Shapes.ShapesClient(channel).UnaryAsync(new Item { Text = "traced" }, new Metadata { { "traceparent", $"00-{traceId}-{appSpan}-01" } });
        Flush(mesh);

        var received = app.LastHeaders!.GetValue("traceparent")!.Split('-'); // what the callee app was handed
        var trace = await WaitForTraceAsync(receiver, traceId, appSpan);
        Assert.Equal(traceId, received[1]);
        Assert.Contains(trace, s => s.SpanId == received[2]); // the callee app's parent is exported
        AssertCrossesBothDoors(trace);
    }

    [Fact]
    public async Task AnAppThatDoesNotPropagate_TheTwoSidecarsSpansAreOneTrace()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        await using var app = await PythonHttpApp.StartAsync();
        await using var mesh = await TwoSidecars.StartAsync([app.Port], shared: Otlp(receiver));
        var agent = "trace-test-" + Guid.NewGuid().ToString("N");
        using var handler = new SocketsHttpHandler { ActivityHeadersPropagator = DistributedContextPropagator.CreateNoOutputPropagator() };
        using var http = new HttpClient(handler) { BaseAddress = mesh.UpstreamUri };
        http.DefaultRequestHeaders.UserAgent.ParseAdd(agent);

        using var response = await http.GetAsync(new Uri("/hello", UriKind.Relative));
        Flush(mesh);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // The caller's sidecar started the trace at its outbound listener: find it by the request's user agent.
        var root = (await receiver.WaitForSpansAsync(spans => spans.Any(s => IsOurs(s, agent)), Bound)).First(s => IsOurs(s, agent));
        var trace = await WaitForTraceAsync(receiver, root.TraceId, parentOutside: null);
        var roots = trace.Where(s => IsRoot(s.ParentSpanId)).Select(s => s.SpanId).Distinct().ToList();
        Assert.True(roots.SequenceEqual([root.SpanId]), $"roots {string.Join(',', roots)}, expected {root.SpanId}:\n{Describe(trace)}");
        AssertCrossesBothDoors(trace);
    }

    private static Dictionary<string, string?> Otlp(OtlpReceiver receiver) => new()
    {
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.Endpoint.ToString(),
        ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "grpc",
    };

    private static void Flush(TwoSidecars mesh)
    {
        foreach (var sidecar in mesh.Callees.Prepend(mesh.Caller))
        {
            Assert.True(sidecar.Services.GetRequiredService<TracerProvider>().ForceFlush(10_000));
        }
    }

    /// <summary>The outbound door's call span and the inbound door's server span, the latter below the former.</summary>
    private static void AssertCrossesBothDoors(IReadOnlyList<ReceivedSpan> trace)
    {
        var byId = trace.GroupBy(s => s.SpanId).ToDictionary(g => g.Key, g => g.First());
        var call = Assert.Single(byId.Values, s => s.ScopeName == "Mesh" && s.Kind == SpanKind.Client);
        var inbound = Assert.Single(byId.Values, s => s.Kind == SpanKind.Server && s.Attributes.GetValueOrDefault("mesh.sidecar.door") as string == "inbound");
        var ancestors = new List<string>();
        for (var span = inbound; byId.TryGetValue(span.ParentSpanId, out var parent); span = parent)
        {
            ancestors.Add(parent.SpanId);
        }

        Assert.Contains(call.SpanId, ancestors);
    }

    /// <summary>Waits until the trace has both doors' spans and every span's parent is exported (or is <paramref name="parentOutside"/>, the app's own).</summary>
    private static async Task<IReadOnlyList<ReceivedSpan>> WaitForTraceAsync(OtlpReceiver receiver, string traceId, string? parentOutside)
    {
        IReadOnlyList<ReceivedSpan> trace = [];
        try
        {
            await receiver.WaitForSpansAsync(spans =>
            {
                trace = [.. spans.Where(s => s.TraceId == traceId)];
                var ids = trace.Select(s => s.SpanId).ToHashSet(StringComparer.Ordinal);
                return trace.Any(s => s.Attributes.GetValueOrDefault("mesh.sidecar.door") as string == "inbound")
                    && trace.Any(s => s.ScopeName == "Mesh" && s.Kind == SpanKind.Client)
                    && trace.All(s => IsRoot(s.ParentSpanId) || s.ParentSpanId == parentOutside || ids.Contains(s.ParentSpanId));
            }, Bound);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"trace {traceId} incomplete:\n{Describe(trace)}");
        }

        return trace;
    }

    private static string Describe(IEnumerable<ReceivedSpan> trace) =>
        string.Join('\n', trace.Select(s => $"  {s.Resource.GetValueOrDefault("service.name")} {s.ScopeName} {s.Kind} {s.Name} span={s.SpanId} parent={s.ParentSpanId}"));

    private static bool IsOurs(ReceivedSpan span, string agent) =>
        span.Kind == SpanKind.Server && span.Attributes.GetValueOrDefault("user_agent.original") as string == agent
        && span.Attributes.GetValueOrDefault("mesh.sidecar.door") as string != "inbound"; // the agent is passed on to the callee's sidecar too

    private static bool IsRoot(string parent) => parent.Length == 0 || parent.All(c => c == '0');
}
