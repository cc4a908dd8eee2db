using System.Collections.Immutable;
using Microsoft.Extensions.Logging;

namespace Mesh.Balancing.Internal;

/// <summary>The instances one balancer (one channel) spreads one service's calls over, and what they share.</summary>
internal sealed class EndpointGroup : IDisposable
{
    // Replaced whole by the balancer; an ImmutableArray is one reference, so readers see an old or a new one.
    private ImmutableArray<EndpointState> _members = [];
    private ImmutableArray<EndpointState> _ready = [];
    private int _connectionCount;

    public EndpointGroup(string serviceName, LoadBalancerKind kind, BalancingOptions options, TimeProvider time, BalancingMonitor? monitor, ILogger logger)
    {
        ServiceName = serviceName;
        Kind = kind;
        Options = options;
        Time = time;
        Monitor = monitor;
        CostEpsilon = BalancingConstants.CostEpsilon.TotalSeconds * time.TimestampFrequency;
        Detector = new OutlierDetector(options.OutlierDetection, this, logger);
        // Round robin needs no per-call state unless ejection listens to outcomes.
        TracksCalls = kind == LoadBalancerKind.PowerOfTwoChoices || options.OutlierDetection.Enabled;
        monitor?.Register(this);
    }

    public string ServiceName { get; }

    public LoadBalancerKind Kind { get; }

    public BalancingOptions Options { get; }

    public TimeProvider Time { get; }

    public BalancingMonitor? Monitor { get; }

    public OutlierDetector Detector { get; }

    public bool TracksCalls { get; }

    /// <summary>Gets the P2C cost's "+ small" in timestamp units.</summary>
    public double CostEpsilon { get; }

    /// <summary>Gets how many instances discovery reports (ready or not): the base of the ejection cap.</summary>
    public int EndpointCount => _members.Length;

    public ImmutableArray<EndpointState> Members => _members;

    public void SetMembers(ImmutableArray<EndpointState> members) => _members = members;

    /// <summary>Records the instances of the picker just published (none while calls fail) and tells the monitor.</summary>
    public void SetReady(EndpointState[] ready)
    {
        _ready = [.. ready];
        Monitor?.OnChanged(this);
    }

    /// <summary>Records how many subchannels (connections open or opening) the balancer holds and tells the monitor.</summary>
    public void SetConnectionCount(int count)
    {
        Volatile.Write(ref _connectionCount, count);
        Monitor?.OnChanged(this);
    }

    public BalancerSnapshot Snapshot()
    {
        var members = Members;
        return new BalancerSnapshot(ServiceName, MeshLoadBalancerFactory.PolicyName(Kind), members.Length,
            [.. members.Where(m => m.IsEjected).Select(m => m.Endpoint)])
        {
            Ready = [.. _ready.Select(m => m.Endpoint)],
            ConnectionCount = Volatile.Read(ref _connectionCount),
        };
    }

    public void Dispose()
    {
        Monitor?.Unregister(this);
        foreach (var member in Members)
        {
            Detector.Detach(member);
        }
    }
}
