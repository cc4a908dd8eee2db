using Grpc.Core;
using Mesh.Balancing.Internal;
using Mesh.Internal;
using Mesh.Resilience.Internal;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Forwarder;

namespace Mesh.Sidecar.Outbound.Internal;

/// <summary>
/// One attempt of a forwarded call, as YARP's transformer: it sees the answer's headers before anything is copied to
/// the caller, so a retriable failure there (a trailers-only gRPC status, HTTP 502/503/504) can be retried with nothing
/// of it sent; otherwise it lets YARP stream the answer and reads the final <c>grpc-status</c> from the trailers. The
/// answer is classified by <see cref="OutcomeClassifier"/> and judged by the service's <see cref="CallPolicyEngine"/>,
/// the same as the library's calls; the instance's <see cref="EndpointState"/> learns latency and failures.
/// </summary>
internal sealed class OutboundAttempt(OutboundCall call, AttemptToken token, UpstreamEndpointState endpoint, ReplayableBody? body) : HttpTransformer
{
    /// <summary>How early a caller may leave before the deadline it sent and still have been cut off by it (transit, rounding; this busy machine).</summary>
    private static readonly TimeSpan DeadlineSlack = TimeSpan.FromMilliseconds(50);

    private readonly long _started = endpoint.Group.Time.GetTimestamp();
    private bool _completed;

    /// <summary>Gets whether the engine has judged this attempt (at the answer's headers).</summary>
    public bool Judged { get; private set; }

    /// <summary>Gets the engine's decision, once <see cref="Judged"/>.</summary>
    public RetryDecision Decision { get; private set; }

    /// <summary>Gets the delay before the retry, when <see cref="Decision"/> is <see cref="RetryDecision.Retry"/>.</summary>
    public TimeSpan Delay { get; private set; }

    /// <summary>Gets the attempt's outcome as a gRPC status (OK until a failure is seen).</summary>
    public Status Status { get; private set; } = Status.DefaultSuccess;

    /// <summary>Gets whether the destination answered (headers arrived).</summary>
    public bool Answered { get; private set; }

    /// <summary>Gets the HTTP status of the destination's answer, once <see cref="Answered"/>.</summary>
    public int AnswerStatusCode { get; private set; }

    /// <summary>Gets what the forwarder reported, once <see cref="Finish"/> was called.</summary>
    public ForwarderError Error { get; private set; }

    /// <summary>Gets the instance this attempt went to.</summary>
    public UpstreamEndpointState Endpoint => endpoint;

    /// <summary>Gets whether the request could be sent again: no body, or one still within the replay limit (asked when judging, once the body has been read).</summary>
    private bool CanResend => body is null || body.CanReplay;

    public void Start() => endpoint.OnCallStarted(_started);

    public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
    {
        await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken).ConfigureAwait(false);
        if (httpContext.Request.Host.HasValue)
        {
            proxyRequest.Headers.Host = httpContext.Request.Host.Value; // the callee's app sees what its caller asked for
        }

        if (call.IsGrpc && call.Remaining is { } remaining)
        {
            // Passed on, reduced by the time spent (backoff, earlier attempts): the callee cancels its work in time.
            proxyRequest.Headers.Remove(GrpcTimeout.HeaderName);
            proxyRequest.Headers.TryAddWithoutValidation(GrpcTimeout.HeaderName, GrpcTimeout.Format(remaining));
        }
    }

    public override async ValueTask<bool> TransformResponseAsync(HttpContext httpContext, HttpResponseMessage? proxyResponse, CancellationToken cancellationToken)
    {
        if (proxyResponse is null)
        {
            return await base.TransformResponseAsync(httpContext, proxyResponse, cancellationToken).ConfigureAwait(false);
        }

        Answered = true;
        AnswerStatusCode = (int)proxyResponse.StatusCode;
        var code = OutcomeClassifier.FromHeaders(proxyResponse);
        Complete(error: null, code);
        if (code != StatusCode.OK)
        {
            Status = new Status(code, Header(proxyResponse.Headers, "grpc-message") ?? $"HTTP {(int)proxyResponse.StatusCode} from {endpoint.Endpoint.Authority}");
            Judge(Header(proxyResponse.Headers, "grpc-retry-pushback-ms"), mayRetry: CanResend);
            if (Decision == RetryDecision.Retry)
            {
                httpContext.Response.Clear(); // nothing of this answer reaches the caller: the retry's will
                return false;
            }
        }

        return await base.TransformResponseAsync(httpContext, proxyResponse, cancellationToken).ConfigureAwait(false);
    }

    public override ValueTask TransformResponseTrailersAsync(HttpContext httpContext, HttpResponseMessage proxyResponse, CancellationToken cancellationToken)
    {
        if (!Judged && Header(proxyResponse.TrailingHeaders, "grpc-status") is { } status)
        {
            var code = OutcomeClassifier.Classify(200, status);
            if (code != StatusCode.OK)
            {
                Status = new Status(code, Header(proxyResponse.TrailingHeaders, "grpc-message") ?? string.Empty);
                CountLateFailure(code);
            }
        }

        return base.TransformResponseTrailersAsync(httpContext, proxyResponse, cancellationToken);
    }

    /// <summary>Ends the attempt after YARP returned: judges it if the headers did not (no answer, or a streamed one); <paramref name="callerLeft"/>: the caller's request was aborted.</summary>
    public void Finish(ForwarderError error, bool timedOut, bool callerLeft, bool refused = false)
    {
        Error = error;
        if (refused)
        {
            endpoint.OnConnectRefused(); // the balancer skips it for a second (see EndpointState.TryAdmit)
        }
        else if (Answered)
        {
            endpoint.OnAnswered();
        }

        if (!Answered && error != ForwarderError.None)
        {
            // No answer at all: refused, reset or broken connection (Unavailable), our deadline, or the caller leaving.
            // The caller's doing (it left, or aborted or broke its own upload): no verdict on the instance. YARP also
            // reports a send cancelled when the instance's connection died under it (kill -9): that is the instance's.
            var cancelled = error is ForwarderError.RequestBodyClient
                || error is ForwarderError.RequestCanceled or ForwarderError.RequestBodyCanceled && callerLeft;
            Status = timedOut ? new Status(StatusCode.DeadlineExceeded, $"no answer from '{call.ServiceName}' within the deadline")
                : cancelled ? new Status(StatusCode.Cancelled, "the caller cancelled the call")
                : new Status(OutcomeClassifier.ConnectionFailure, $"{endpoint.Endpoint.Authority} of '{call.ServiceName}' is unreachable ({error})");
            Complete(cancelled || timedOut ? new OperationCanceledException() : new HttpRequestException(error.ToString()), Status.StatusCode);
            if (timedOut || cancelled && RanOutOfTime())
            {
                // No answer by the deadline: the instance is hung (a black hole that accepts and never answers). A
                // cancellation counts neither way, so it was only avoided, never ejected; the library's calls count
                // it the same way (CallStatusHandler). A caller that leaves at its own deadline is that deadline.
                endpoint.OnDeadlineExceeded();
            }
        }

        else if (Answered && !Judged && error == ForwarderError.ResponseBodyDestination)
        {
            // The instance broke off an answer already streaming to the caller (YARP resets the caller's stream): the
            // instance failed this call, as a refused connection would have; only the caller's own leaving is no verdict.
            Status = new Status(OutcomeClassifier.ConnectionFailure, $"{endpoint.Endpoint.Authority} of '{call.ServiceName}' broke off its answer");
            CountLateFailure(Status.StatusCode);
        }

        Complete(error: null, StatusCode.OK);
        if (!Judged)
        {
            Judge(pushback: null, mayRetry: CanResend && !Answered); // an answer that got here was copied to the caller
        }
    }

    /// <summary>
    /// Ends an attempt the forwarder threw out of (nothing to judge): the instance's in-flight count and the breaker's
    /// permit are released, and neither learns anything.
    /// </summary>
    public void Abandon()
    {
        Complete(new OperationCanceledException(), StatusCode.Cancelled);
        if (!Judged)
        {
            Judged = true;
            call.Engine.AbandonAttempt(token, call.Method);
        }
    }

    /// <summary>
    /// Whether the call's deadline had (about) passed when the caller left: its grpc-timeout was measured from when the
    /// request arrived here, so the caller's own timer fires a little before ours, by the request's transit.
    /// </summary>
    private bool RanOutOfTime() => call.Remaining is { } left && left <= DeadlineSlack;

    /// <summary>A failure found after the headers (trailers, a cut body): the tracker completed there, so outlier detection is told here.</summary>
    private void CountLateFailure(StatusCode code)
    {
        if (endpoint.Group.Detector is { Enabled: true } detector && detector.IsFailureStatus(code))
        {
            detector.OnFailure(endpoint, endpoint.Group.Time.GetTimestamp());
        }
    }

    private void Judge(string? pushback, bool mayRetry)
    {
        Judged = true;
        Decision = call.Engine.EndForwardedAttempt(token, call.Method, call.Scope, Status, pushback, mayRetry, out var delay);
        Delay = delay;
    }

    private void Complete(Exception? error, StatusCode code)
    {
        if (_completed)
        {
            return;
        }

        _completed = true;
        if (error is null && code != StatusCode.OK && endpoint.Group.Detector.IsFailureStatus(code))
        {
            endpoint.OnStatusFailure();
        }

        endpoint.OnCallCompleted(_started, error);
    }

    private static string? Header(System.Net.Http.Headers.HttpHeaders headers, string name) =>
        headers.NonValidated.TryGetValues(name, out var values) ? values.ToString() : null;
}
