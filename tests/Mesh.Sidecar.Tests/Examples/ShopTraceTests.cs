using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Mesh.Testing.Otlp;

namespace Mesh.Sidecar.Tests.Examples;

/// <summary>
/// The shop without Docker: one request at the front end crosses Shop.Frontend → Shop.Catalog → the sidecar →
/// inventory.py, and is one trace at the OTLP receiver (what Jaeger would show), with no span whose parent is missing.
/// </summary>
public sealed class ShopTraceTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [ShopFact]
    public async Task OneRequest_CrossesThreeServices_OneTraceWithNoMissingParent()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        using var bound = new CancellationTokenSource(Bound);
        await using var shop = await RunningShop.StartAsync(receiver.Endpoint, bound.Token);
        // As curl: no traceparent. With any listener on HttpClient's activities in this test process (other tests add
        // them) HttpClient would send its own span's context, and the front end's root would have a parent no one exports.
        using var handler = new SocketsHttpHandler { ActivityHeadersPropagator = DistributedContextPropagator.CreateNoOutputPropagator() };
        using var http = new HttpClient(handler) { BaseAddress = shop.Frontend };

        using var response = await http.GetAsync(new Uri("/products/apple", UriKind.Relative), bound.Token);
        var body = await response.Content.ReadAsStringAsync(bound.Token);

        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{response.StatusCode}: {body}\n{shop}");
        using var product = JsonDocument.Parse(body);
        Assert.Equal(12, product.RootElement.GetProperty("stock").GetInt32()); // the number only the Python service knows
        Assert.StartsWith("python ", product.RootElement.GetProperty("inventoryInstance").GetString(), StringComparison.Ordinal);
        var traceId = product.RootElement.GetProperty("traceId").GetString()!;

        IReadOnlyList<ReceivedSpan> trace = [];
        try
        {
            await receiver.WaitForSpansAsync(spans => Complete(trace = [.. spans.Where(s => s.TraceId == traceId)]), Bound);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"trace {traceId} incomplete:\n{Describe(trace)}\n{shop}");
        }

        var services = trace.GroupBy(Service).ToDictionary(g => g.Key, g => g.ToList());
        Assert.Equal(["catalog", "frontend", "inventory"], services.Keys.Order(StringComparer.Ordinal));
        Assert.Single(trace, s => s.ParentSpanId.Length == 0 || s.ParentSpanId.All(c => c == '0')); // one root: the front end's request
        Assert.Contains(services["inventory"], s => s.Kind == Testing.Otlp.Proto.Trace.V1.Span.Types.SpanKind.Server && s.Name == "mesh.shop.v1.Inventory/GetStock");
        Assert.Contains(services["inventory"], s => s.Kind == Testing.Otlp.Proto.Trace.V1.Span.Types.SpanKind.Client);
    }

    /// <summary>Every service has spans and every span's parent arrived (the root excepted).</summary>
    private static bool Complete(IReadOnlyList<ReceivedSpan> trace)
    {
        var ids = trace.Select(s => s.SpanId).ToHashSet(StringComparer.Ordinal);
        var services = trace.Select(Service).ToHashSet(StringComparer.Ordinal);
        return services.SetEquals(["frontend", "catalog", "inventory"])
            && trace.Any(s => s.Kind == Testing.Otlp.Proto.Trace.V1.Span.Types.SpanKind.Client && Service(s) == "inventory")
            && trace.All(s => s.ParentSpanId.Length == 0 || s.ParentSpanId.All(c => c == '0') || ids.Contains(s.ParentSpanId));
    }

    private static string Service(ReceivedSpan span) => span.Resource.TryGetValue("service.name", out var name) ? name as string ?? "" : "";

    private static string Describe(IEnumerable<ReceivedSpan> spans) =>
        string.Join('\n', spans.Select(s => $"  {Service(s)} {s.Kind} {s.Name} span={s.SpanId} parent={s.ParentSpanId}"));
}
