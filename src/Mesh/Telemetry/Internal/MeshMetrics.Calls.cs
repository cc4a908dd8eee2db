using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Mesh.Balancing;
using Mesh.Resilience;

namespace Mesh.Telemetry.Internal;

/// <summary>The call instruments: durations, attempts, retries, budget denials, breaker state, ejections.</summary>
internal sealed partial class MeshMetrics
{
    // OpenTelemetry's recommended boundaries for rpc durations in seconds; the SDK default suits milliseconds.
    private static readonly double[] DurationBuckets = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

    private readonly ConcurrentDictionary<string, RpcNames> _names = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ServiceCallPolicy> _policies = new(StringComparer.Ordinal);
    private Histogram<double> _callDuration = null!;
    private Counter<long> _attempts = null!;
    private Counter<long> _retries = null!;
    private Counter<long> _retriesDenied = null!;
    private BalancingMonitor? _balancing;

    /// <summary>Reports the breaker state of <paramref name="policy"/> from now on.</summary>
    public void TrackPolicy(ServiceCallPolicy policy) => _policies[policy.ServiceName] = policy;

    /// <summary>Reports ejected instances per service from <paramref name="monitor"/>.</summary>
    public void TrackBalancing(BalancingMonitor monitor) => _balancing = monitor;

    /// <summary>Gets whether any call instrument is listened to: when none is, calls skip the clock reads for it.</summary>
    public bool CallsEnabled => _callDuration.Enabled || _attempts.Enabled || _retries.Enabled || _retriesDenied.Enabled;

    public void CallFinished(in CallFinishedArguments call)
    {
        if (_callDuration.Enabled)
        {
            var tags = MethodTags(call.ServiceName, call.Method);
            tags.Add(MeshTraceNames.RpcGrpcStatusCode, GrpcStatusCodes.Box(call.Status.StatusCode));
            _callDuration.Record(call.Duration.TotalSeconds, tags);
        }
    }

    public void AttemptStarted(in AttemptStartedArguments attempt)
    {
        if (attempt.AttemptNumber > 1 && _retries.Enabled)
        {
            var tags = MethodTags(attempt.ServiceName, attempt.Method);
            tags.Add(MeshTraceNames.AttemptHedge, GrpcStatusCodes.Box(attempt.IsHedge));
            _retries.Add(1, tags);
        }
    }

    public void AttemptFinished(in AttemptFinishedArguments attempt)
    {
        if (_attempts.Enabled)
        {
            var tags = MethodTags(attempt.ServiceName, attempt.Method);
            tags.Add(MeshTraceNames.RpcGrpcStatusCode, GrpcStatusCodes.Box(attempt.Status.StatusCode));
            _attempts.Add(1, tags);
        }
    }

    public void RetryDenied(in RetryDeniedArguments denied)
    {
        if (_retriesDenied.Enabled)
        {
            _retriesDenied.Add(1, MethodTags(denied.ServiceName, denied.Method));
        }
    }

    private void CreateCallInstruments(Meter meter)
    {
        _callDuration = meter.CreateHistogram(MeshMetricNames.CallDuration, "s",
            "Duration of logical gRPC calls through Mesh, retries and backoff included, by final status.",
            tags: null, new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        _attempts = meter.CreateCounter<long>(MeshMetricNames.Attempts, "{attempt}",
            "Attempts sent (first tries, retries and hedges), by the attempt's status.");
        _retries = meter.CreateCounter<long>(MeshMetricNames.Retries, "{attempt}",
            "Attempts after the first of a call: retries, and hedges (mesh.attempt.hedge=true).");
        _retriesDenied = meter.CreateCounter<long>(MeshMetricNames.RetriesDenied, "{retry}",
            "Retries and hedges not sent because the service's retry budget was spent.");
        meter.CreateObservableGauge(MeshMetricNames.CircuitState, ObserveCircuits, "{state}",
            "Circuit breaker state per service: 0 closed, 1 half-open, 2 open.");
        meter.CreateObservableGauge(MeshMetricNames.EjectedInstances, ObserveEjected, "{instance}",
            "Instances of each balanced service ejected by outlier detection now, over all channels.");
    }

    private TagList MethodTags(string serviceName, string method)
    {
        var names = _names.TryGetValue(method, out var cached) ? cached : _names.GetOrAdd(method, RpcNames.From);
        return new TagList
        {
            { MeshMetricNames.ServiceAttribute, serviceName },
            { MeshTraceNames.RpcSystem, "grpc" },
            { MeshTraceNames.RpcService, names.Service },
            { MeshTraceNames.RpcMethod, names.Method },
        };
    }

    private IEnumerable<Measurement<int>> ObserveCircuits() =>
        _policies.Values.Select(p => new Measurement<int>(
            p.CircuitState switch { Resilience.CircuitState.Open => 2, Resilience.CircuitState.HalfOpen => 1, _ => 0 },
            new KeyValuePair<string, object?>(MeshMetricNames.ServiceAttribute, p.ServiceName)));

    private IEnumerable<Measurement<int>> ObserveEjected() =>
        _balancing is { } monitor
            ? monitor.GetSnapshot().GroupBy(s => s.ServiceName, StringComparer.OrdinalIgnoreCase)
                .Select(g => new Measurement<int>(g.Sum(s => s.EjectedCount), new KeyValuePair<string, object?>(MeshMetricNames.ServiceAttribute, g.Key)))
            : [];
}
