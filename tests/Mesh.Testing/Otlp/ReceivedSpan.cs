using Mesh.Testing.Otlp.Proto.Collector.Trace.V1;
using Mesh.Testing.Otlp.Proto.Common.V1;
using Mesh.Testing.Otlp.Proto.Trace.V1;

namespace Mesh.Testing.Otlp;

/// <summary>One span as an OTLP exporter sent it, flattened with its resource and scope, ids in lower-case hex.</summary>
public sealed record ReceivedSpan(
    string TraceId,
    string SpanId,
    string ParentSpanId,
    string Name,
    Span.Types.SpanKind Kind,
    Status.Types.StatusCode StatusCode,
    string StatusMessage,
    string ScopeName,
    string ScopeVersion,
    IReadOnlyDictionary<string, object?> Attributes,
    IReadOnlyDictionary<string, object?> Resource,
    IReadOnlyList<string> EventNames)
{
    /// <summary>Flattens an export request.</summary>
    public static IEnumerable<ReceivedSpan> Decode(ExportTraceServiceRequest request) =>
        from resourceSpans in request.ResourceSpans
        let resource = Values(resourceSpans.Resource?.Attributes ?? [])
        from scopeSpans in resourceSpans.ScopeSpans
        from span in scopeSpans.Spans
        select new ReceivedSpan(
            Convert.ToHexStringLower(span.TraceId.Span),
            Convert.ToHexStringLower(span.SpanId.Span),
            Convert.ToHexStringLower(span.ParentSpanId.Span),
            span.Name,
            span.Kind,
            span.Status?.Code ?? Status.Types.StatusCode.Unset,
            span.Status?.Message ?? string.Empty,
            scopeSpans.Scope?.Name ?? string.Empty,
            scopeSpans.Scope?.Version ?? string.Empty,
            Values(span.Attributes),
            resource,
            [.. span.Events.Select(e => e.Name)]);

    private static Dictionary<string, object?> Values(IEnumerable<KeyValue> attributes) =>
        attributes.ToDictionary(a => a.Key, a => Value(a.Value));

    private static object? Value(AnyValue? value) => value?.ValueCase switch
    {
        AnyValue.ValueOneofCase.StringValue => value.StringValue,
        AnyValue.ValueOneofCase.BoolValue => value.BoolValue,
        AnyValue.ValueOneofCase.IntValue => value.IntValue,
        AnyValue.ValueOneofCase.DoubleValue => value.DoubleValue,
        AnyValue.ValueOneofCase.ArrayValue => value.ArrayValue.Values.Select(Value).ToArray(),
        AnyValue.ValueOneofCase.BytesValue => value.BytesValue.ToByteArray(),
        _ => null,
    };
}
