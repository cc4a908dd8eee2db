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

    public void Start()
    {
        _started = _endpoint.Group.Time.GetTimestamp();
        _endpoint.OnCallStarted(_started);
    }

    public void Complete(CompletionContext context)
    {
        var response = Response;
        Response = null;
        var error = context?.Error;
        if (error is null && response is { IsCompletedSuccessfully: true })
        {
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
}
