using System.Globalization;
using Grpc.Core;

namespace Mesh.Internal;

/// <summary>
/// The one place that turns an answer into a gRPC status, for both front doors (as linkerd's <c>classify</c>): the
/// library's status handler feeds outlier ejection with it, the sidecar's outbound door its retries, breaker and
/// ejection. The rules: a <c>grpc-status</c> wins (from the headers when the answer is trailers-only, else from the
/// trailers); without one, HTTP 502/503/504 and connection failures are <see cref="StatusCode.Unavailable"/>, other
/// 5xx <see cref="StatusCode.Unknown"/>, and everything else — 4xx included — <see cref="StatusCode.OK"/>: a client
/// error is the caller's, so it is never retried and never counts against the instance that answered it.
/// </summary>
internal static class OutcomeClassifier
{
    /// <summary>The status of an attempt that never got an answer (refused, reset or broken connection).</summary>
    public const StatusCode ConnectionFailure = StatusCode.Unavailable;

    /// <summary>Classifies an answer by its HTTP status and the <c>grpc-status</c> it carried, if any.</summary>
    /// <param name="httpStatus">The response's HTTP status.</param>
    /// <param name="grpcStatus">The <c>grpc-status</c> value (headers when trailers-only, else trailers); null when none.</param>
    public static StatusCode Classify(int httpStatus, string? grpcStatus)
    {
        if (grpcStatus is not null)
        {
            return int.TryParse(grpcStatus, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed <= (int)StatusCode.Unauthenticated
                ? (StatusCode)parsed
                : StatusCode.Unknown; // gRPC's own answer to a status it cannot read
        }

        return httpStatus switch
        {
            502 or 503 or 504 => StatusCode.Unavailable,
            >= 500 => StatusCode.Unknown,
            _ => StatusCode.OK,
        };
    }

    /// <summary>Classifies a response by what its headers tell: HTTP status and a trailers-only <c>grpc-status</c>.</summary>
    public static StatusCode FromHeaders(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        string? grpcStatus = null;
        if (response.Headers.NonValidated.TryGetValues("grpc-status", out var values))
        {
            foreach (var value in values)
            {
                grpcStatus = value;
                break;
            }
        }

        return Classify((int)response.StatusCode, grpcStatus);
    }

    /// <summary>Whether a failure (or one it wraps) is a connect the instance refused: nothing listens there, it is down.</summary>
    public static bool IsRefusedConnect(Exception? error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError })
            {
                return true;
            }
        }

        return false;
    }
}
