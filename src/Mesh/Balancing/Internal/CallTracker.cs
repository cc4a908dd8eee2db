using Grpc.Core;
using Grpc.Net.Client.Balancer;
using Mesh.Internal;

namespace Mesh.Balancing.Internal;

/// <summary>
/// Follows one call on one instance: its start time (for latency) and its outcome (for ejection). Trackers are
/// pooled per instance and subchannel (<see cref="TrackerPool"/>) and each carries its own pre-built
/// <see cref="PickResult"/>, so a pick allocates nothing once the pool has warmed up to the instance's peak concurrency.
/// </summary>
internal sealed class CallTracker : ISubchannelCallTracker
{
    /// <summary>Where the picker leaves the tracker on the request, for <see cref="CallStatusHandler"/>.</summary>
    public static readonly HttpRequestOptionsKey<CallTracker> RequestKey = new("Mesh.CallTracker");

    // gRPC rounds grpc-timeout up and writes it before the attempt's clock here starts: allow for both.
    private static readonly TimeSpan DeadlineSlack = TimeSpan.FromMilliseconds(20);

    private readonly EndpointState _endpoint;
    private readonly TrackerPool _pool;
    private long _started;

    public CallTracker(EndpointState endpoint, TrackerPool pool)
    {
        _endpoint = endpoint;
        _pool = pool;
        Result = PickResult.ForSubchannel(pool.Subchannel!, this);
    }

    /// <summary>Gets the pick result that hands this tracker to gRPC along with the instance's subchannel.</summary>
    public PickResult Result { get; }

    /// <summary>Gets or sets the answer's task, set by the status handler (none without it); complete when gRPC completes the tracker.</summary>
    public Task<HttpResponseMessage>? Response { get; set; }

    /// <summary>Gets or sets the attempt's request, set by the status handler; read only when no answer came.</summary>
    public HttpRequestMessage? Request { get; set; }

    public void Start()
    {
        _started = _endpoint.Group.Time.GetTimestamp();
        _endpoint.OnCallStarted(_started);
    }

    public void Complete(CompletionContext context)
    {
        var response = Response;
        var request = Request;
        Response = null;
        Request = null;
        var error = context?.Error;
        if (response is { IsCanceled: true } or { IsFaulted: true } && RanOutOfTime(request))
        {
            // No answer (not even headers) within the call's deadline: the instance is hung, a black hole that accepts
            // and never answers. gRPC reports it as a cancellation, which counts neither way (a caller's own
            // cancellation says nothing about the instance), so without this P2C avoided it but it was never ejected.
            _endpoint.OnDeadlineExceeded();
        }
        else if (OutcomeClassifier.IsRefusedConnect(error))
        {
            // gRPC may hold the subchannel as ready while its instance is gone (a socket per call, each refused): the
            // picker skips the instance for a while, and fails fast with "no reachable instances" when all refuse.
            // Detected here rather than by wrapping the response in the status handler, which would give every call
            // an async layer; the failure itself is counted by OnCallCompleted below, as any transport error.
            _endpoint.OnConnectRefused();
        }
        else if (error is null && response is { IsCompletedSuccessfully: true })
        {
            _endpoint.OnAnswered();
            // A trailers-only failure: counted before the completion, which then does not count it as a success.
            var code = OutcomeClassifier.FromHeaders(response.Result);
            if (code != StatusCode.OK && _endpoint.Group.Detector.IsFailureStatus(code))
            {
                _endpoint.OnStatusFailure();
            }
        }

        _endpoint.OnCallCompleted(_started, error);
        // gRPC calls Complete once per Start, after which it drops the tracker: safe to reuse now. A pick that gRPC
        // discarded (subchannel no longer ready) never comes back here; the pool simply makes another later.
        _pool.Return(this);
    }

    /// <summary>Whether the attempt ran past the <c>grpc-timeout</c> it was sent with.</summary>
    private bool RanOutOfTime(HttpRequestMessage? request) =>
        request is not null
        && request.Headers.NonValidated.TryGetValues(GrpcTimeout.HeaderName, out var values)
        && GrpcTimeout.Parse(values.ToString()) is { } timeout
        && _endpoint.Group.Time.GetElapsedTime(_started) + DeadlineSlack >= timeout;
}
