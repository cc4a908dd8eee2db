using System.Globalization;
using System.Text;
using Grpc.Core;
using Microsoft.AspNetCore.Http;

namespace Mesh.Sidecar.Errors;

/// <summary>
/// The one place that turns a sidecar-side failure into an answer the caller understands (as linkerd's
/// <c>errors/respond</c>): a gRPC caller gets a trailers-only response (HTTP 200, <c>grpc-status</c> and a
/// percent-encoded <c>grpc-message</c> in the only HEADERS frame), anyone else the HTTP status with a one-line text
/// body. Both doors use it.
/// </summary>
internal static class ProxyErrorResponder
{
    /// <summary>The header that marks an answer made by the sidecar rather than the destination.</summary>
    public const string ErrorHeader = "mesh-proxy-error";

    /// <summary>Answers <paramref name="context"/> with <paramref name="error"/>, or resets it when the response has already started.</summary>
    /// <param name="context">The request.</param>
    /// <param name="error">What went wrong.</param>
    /// <param name="message">Says what happened, naming the destination; never carries secrets.</param>
    public static Task RespondAsync(HttpContext context, ProxyError error, string message) =>
        RespondCoreAsync(context, ErrorName(error), HttpStatus(error), GrpcStatus(error), message);

    /// <summary>
    /// Answers with a failure the destination itself gave but whose body was not kept, because a retry was to follow
    /// (and then did not: the breaker refused it): its HTTP status, or for gRPC its status in a trailers-only response.
    /// No <see cref="ErrorHeader"/>: the failure is the destination's, not the sidecar's.
    /// </summary>
    public static Task RespondAnsweredAsync(HttpContext context, int httpStatus, StatusCode grpcStatus, string message) =>
        RespondCoreAsync(context, errorName: null, httpStatus, ((int)grpcStatus).ToString(CultureInfo.InvariantCulture), message);

    private static Task RespondCoreAsync(HttpContext context, string? errorName, int httpStatus, string grpcStatus, string message)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.RequestAborted.IsCancellationRequested)
        {
            return Task.CompletedTask; // the caller left: nobody to answer
        }

        var response = context.Response;
        if (response.HasStarted)
        {
            // Part of the destination's answer is out: a reset is the only way not to pass a truncated one as complete.
            context.Abort();
            return Task.CompletedTask;
        }

        response.Clear();
        if (errorName is not null)
        {
            response.Headers[ErrorHeader] = errorName;
        }

        if (IsGrpc(context.Request))
        {
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = "application/grpc";
            response.Headers["grpc-status"] = grpcStatus;
            response.Headers["grpc-message"] = PercentEncode(message);
            return Task.CompletedTask; // no body: Kestrel ends the stream with the headers, a trailers-only response
        }

        response.StatusCode = httpStatus;
        response.ContentType = "text/plain; charset=utf-8";
        return response.WriteAsync(message + "\n", context.RequestAborted);
    }

    /// <summary>Whether the request is gRPC (over HTTP/2; gRPC-Web carries its status in the body and is answered as HTTP).</summary>
    public static bool IsGrpc(HttpRequest request) =>
        request.ContentType is { } type && type.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase)
        && !type.StartsWith("application/grpc-web", StringComparison.OrdinalIgnoreCase);

    internal static int HttpStatus(ProxyError error) => error switch
    {
        ProxyError.NoInstances or ProxyError.CircuitOpen => StatusCodes.Status503ServiceUnavailable,
        ProxyError.Timeout => StatusCodes.Status504GatewayTimeout,
        ProxyError.BadRequest => StatusCodes.Status400BadRequest,
        _ => StatusCodes.Status502BadGateway,
    };

    internal static string GrpcStatus(ProxyError error) => error switch
    {
        ProxyError.Timeout => "4",    // DEADLINE_EXCEEDED
        ProxyError.BadRequest => "13", // INTERNAL
        _ => "14",                     // UNAVAILABLE
    };

    private static string ErrorName(ProxyError error) => error switch
    {
        ProxyError.NoInstances => "no-instances",
        ProxyError.CircuitOpen => "circuit-open",
        ProxyError.Timeout => "timeout",
        ProxyError.BadRequest => "bad-request",
        _ => "unreachable",
    };

    /// <summary>gRPC's encoding of <c>grpc-message</c>: printable ASCII except '%' as is, everything else as %XX of its UTF-8 bytes.</summary>
    internal static string PercentEncode(string message)
    {
        var builder = new StringBuilder(message.Length);
        foreach (var b in Encoding.UTF8.GetBytes(message))
        {
            if (b is >= 0x20 and <= 0x7E && b != (byte)'%')
            {
                builder.Append((char)b);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }
}
