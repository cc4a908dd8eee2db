using System.Diagnostics;
using Grpc.Core;
using Mesh.Discovery;
using Mesh.Resilience;

namespace Mesh.Telemetry.Internal;

/// <summary>
/// Mesh's <see cref="ActivitySource"/> and the spans made on it: one Client span per logical call, one Internal child
/// per attempt. Every entry point starts with <see cref="ActivitySource.HasListeners"/>, so untraced calls pay one
/// field read.
/// </summary>
internal static class MeshActivities
{
    public static readonly ActivitySource Source = new(MeshTelemetry.ActivitySourceName, MeshVersion.Value);

    /// <summary>Starts the span of a logical call (it becomes current); null when nothing listens or it is sampled out.</summary>
    public static Activity? StartCall(string serviceName, RpcNames names)
    {
        var activity = Source.StartActivity(names.SpanName, ActivityKind.Client);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(MeshTraceNames.RpcSystem, "grpc");
            activity.SetTag(MeshTraceNames.RpcService, names.Service);
            activity.SetTag(MeshTraceNames.RpcMethod, names.Method);
            activity.SetTag(MeshTraceNames.MeshService, serviceName);
        }

        return activity;
    }

    /// <summary>
    /// Starts an attempt's span as a child of <paramref name="call"/> and leaves it current, so the HTTP request the
    /// attempt sends carries its trace context (and the call's baggage, inherited through the parent).
    /// </summary>
    public static Activity? StartAttempt(Activity call, RpcNames names, int number, bool isHedge, TimeSpan backoff)
    {
        Activity.Current = call;
        var activity = Source.StartActivity(names.AttemptSpanName, ActivityKind.Internal);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(MeshTraceNames.AttemptNumber, number);
            activity.SetTag(MeshTraceNames.AttemptHedge, GrpcStatusCodes.Box(isHedge));
            activity.SetTag(MeshTraceNames.AttemptBackoff, backoff.TotalMilliseconds);
        }

        return activity;
    }

    /// <summary>Ends an attempt's span; the call span learns the instance, so it names the final attempt's.</summary>
    public static void StopAttempt(Activity attempt, Activity? call, Status status, string outcome)
    {
        attempt.SetTag(MeshTraceNames.RpcGrpcStatusCode, GrpcStatusCodes.Box(status.StatusCode));
        attempt.SetTag(MeshTraceNames.AttemptOutcome, outcome);
        if (status.StatusCode != StatusCode.OK && outcome != AttemptOutcomes.Abandoned)
        {
            attempt.SetStatus(ActivityStatusCode.Error, status.Detail);
        }

        if (call is not null && outcome != AttemptOutcomes.Abandoned && attempt.GetTagItem(MeshTraceNames.ServerAddress) is { } address)
        {
            call.SetTag(MeshTraceNames.ServerAddress, address);
            call.SetTag(MeshTraceNames.ServerPort, attempt.GetTagItem(MeshTraceNames.ServerPort));
        }

        attempt.Stop();
    }

    public static void StopCall(Activity call, Status status)
    {
        call.SetTag(MeshTraceNames.RpcGrpcStatusCode, GrpcStatusCodes.Box(status.StatusCode));
        if (status.StatusCode != StatusCode.OK)
        {
            call.SetStatus(ActivityStatusCode.Error, status.Detail);
        }

        call.Stop();
    }

    /// <summary>
    /// Called by the pickers: tags the attempt being sent (the current span, or the nearest Mesh attempt above the
    /// gRPC/HTTP client spans) with the chosen instance. No listener, no work; no allocation either way but the port's box.
    /// </summary>
    public static void RecordPick(ServiceEndpoint endpoint)
    {
        if (Source.HasListeners() && NearestAttempt() is { IsAllDataRequested: true } attempt)
        {
            attempt.SetTag(MeshTraceNames.ServerAddress, endpoint.Host);
            attempt.SetTag(MeshTraceNames.ServerPort, endpoint.Port);
        }
    }

    /// <summary>
    /// The Mesh attempt span the current code runs under: the current span, or its nearest ancestor, since grpc-dotnet
    /// (<c>GrpcOut</c>) and HttpClient (<c>HttpRequestOut</c>) start their own spans under the attempt (at most two deep).
    /// </summary>
    public static Activity? NearestAttempt()
    {
        var activity = Activity.Current;
        for (var depth = 0; activity is not null && depth < 4; depth++, activity = activity.Parent)
        {
            if (ReferenceEquals(activity.Source, Source) && activity.Kind == ActivityKind.Internal)
            {
                return activity;
            }
        }

        return null;
    }

    /// <summary>
    /// The current span for an event: the nearest Mesh span above the current one (a status seen inside the HTTP
    /// pipeline runs under grpc-dotnet's and HttpClient's spans), else whatever is current.
    /// </summary>
    private static Activity? NearestSpan()
    {
        var current = Activity.Current;
        var activity = current;
        for (var depth = 0; activity is not null && depth < 4; depth++, activity = activity.Parent)
        {
            if (ReferenceEquals(activity.Source, Source))
            {
                return activity;
            }
        }

        return current;
    }

    /// <summary>An instance was ejected or returned: an event on the current span (the call whose failure ejected it).</summary>
    public static void EndpointEvent(string name, string serviceName, ServiceEndpoint endpoint, string? reason)
    {
        if (!Source.HasListeners() || NearestSpan() is not { IsAllDataRequested: true } current)
        {
            return;
        }

        var tags = new ActivityTagsCollection
        {
            [MeshTraceNames.MeshService] = serviceName,
            [MeshTraceNames.ServerAddress] = endpoint.Host,
            [MeshTraceNames.ServerPort] = endpoint.Port,
            ["mesh.endpoint.id"] = endpoint.Id,
        };
        if (reason is not null)
        {
            tags["mesh.ejection.reason"] = reason;
        }

        current.AddEvent(new ActivityEvent(name, tags: tags));
    }

    /// <summary>The breaker of a service changed state: an event on the current span (the call that moved it).</summary>
    public static void CircuitEvent(string serviceName, CircuitState state)
    {
        if (!Source.HasListeners() || NearestSpan() is not { IsAllDataRequested: true } current)
        {
            return;
        }

        var name = state switch
        {
            CircuitState.Open => MeshTraceNames.CircuitOpened,
            CircuitState.HalfOpen => MeshTraceNames.CircuitHalfOpened,
            _ => MeshTraceNames.CircuitClosed,
        };
        current.AddEvent(new ActivityEvent(name, tags: new ActivityTagsCollection { [MeshTraceNames.MeshService] = serviceName }));
    }
}
