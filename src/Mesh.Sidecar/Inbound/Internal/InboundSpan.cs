using System.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace Mesh.Sidecar.Inbound.Internal;

/// <summary>
/// Names the inbound server span (ASP.NET Core's request activity) after what was called: <c>package.Service/Method</c>
/// with the <c>rpc.*</c> attributes for gRPC; HTTP spans keep ASP.NET Core's name (the method: paths are unbounded).
/// </summary>
internal static class InboundSpan
{
    /// <summary>The attribute naming the sidecar door a span belongs to.</summary>
    public const string DoorAttribute = "mesh.sidecar.door";

    public static void Enrich(HttpContext context, bool grpc)
    {
        if (Activity.Current is not { IsAllDataRequested: true } activity)
        {
            return;
        }

        activity.SetTag(DoorAttribute, "inbound");
        if (!grpc || context.Request.Path.Value is not { Length: > 1 } path)
        {
            return;
        }

        var method = path[1..];
        activity.DisplayName = method;
        activity.SetTag("rpc.system", "grpc");
        var slash = method.LastIndexOf('/');
        if (slash > 0)
        {
            activity.SetTag("rpc.service", method[..slash]);
            activity.SetTag("rpc.method", method[(slash + 1)..]);
        }
    }
}
