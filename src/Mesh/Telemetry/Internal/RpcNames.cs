namespace Mesh.Telemetry.Internal;

/// <summary>
/// The span name and rpc attributes of one gRPC method, split once from its full name (<c>/package.Service/Method</c>)
/// and cached with the method's policy, so a traced call builds no strings.
/// </summary>
internal sealed class RpcNames
{
    private RpcNames(string service, string method, string attempt)
    {
        Service = service;
        Method = method;
        SpanName = service + "/" + method;
        AttemptSpanName = attempt;
    }

    /// <summary>Gets <c>rpc.service</c>: the fully qualified gRPC service, <c>package.Service</c>.</summary>
    public string Service { get; }

    /// <summary>Gets <c>rpc.method</c>.</summary>
    public string Method { get; }

    /// <summary>Gets the call span's name, <c>package.Service/Method</c> (OpenTelemetry's rpc convention).</summary>
    public string SpanName { get; }

    /// <summary>Gets the attempt span's name.</summary>
    public string AttemptSpanName { get; }

    public static RpcNames From(string fullName)
    {
        var trimmed = fullName.TrimStart('/');
        var slash = trimmed.LastIndexOf('/');
        var service = slash > 0 ? trimmed[..slash] : trimmed;
        var method = slash > 0 ? trimmed[(slash + 1)..] : trimmed;
        return new RpcNames(service, method, service + "/" + method + " attempt");
    }
}
