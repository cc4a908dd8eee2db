using System.Collections.Immutable;
using Mesh.Balancing.Internal;

namespace Mesh.Balancing;

/// <summary>
/// Observes every Mesh balancer created with it: events when an instance is ejected or returns (telemetry attaches
/// here) and a snapshot of ejections per service for diagnostics. One instance is shared by the process.
/// </summary>
public sealed class BalancingMonitor
{
    private readonly Lock _lock = new();
    // Replaced whole under the lock; an ImmutableArray is one reference, so readers see an old or a new one.
    private ImmutableArray<EndpointGroup> _groups = [];

    /// <summary>Raised when an instance is ejected, on the thread that completed the failing call.</summary>
    public event EventHandler<EndpointEjectionEventArgs>? EndpointEjected;

    /// <summary>Raised when an ejected instance returns to rotation, on a timer thread.</summary>
    public event EventHandler<EndpointEjectionEventArgs>? EndpointReturned;

    /// <summary>
    /// Raised when a balancer changes what its channel can call: the instances it sends calls to
    /// (<see cref="BalancerSnapshot.Ready"/>) or the connections it holds. Raised on gRPC's thread while it updates the
    /// channel: keep handlers short and do not call the channel from them.
    /// </summary>
    public event EventHandler<BalancerChangedEventArgs>? BalancerChanged;

    /// <summary>Returns the state of every live balancer (one per channel and service).</summary>
    public IReadOnlyList<BalancerSnapshot> GetSnapshot() => [.. _groups.Select(g => g.Snapshot())];

    /// <summary>Returns how many instances of <paramref name="serviceName"/> are ejected now, over all channels.</summary>
    /// <param name="serviceName">The service.</param>
    public int GetEjectedCount(string serviceName) =>
        _groups.Where(g => string.Equals(g.ServiceName, serviceName, StringComparison.OrdinalIgnoreCase)).Sum(g => g.Detector.EjectedCount);

    internal void Register(EndpointGroup group)
    {
        lock (_lock)
        {
            _groups = _groups.Add(group);
        }
    }

    internal void Unregister(EndpointGroup group)
    {
        lock (_lock)
        {
            _groups = _groups.Remove(group);
        }
    }

    internal void OnChanged(EndpointGroup group)
    {
        if (BalancerChanged is { } handlers)
        {
            handlers(this, new BalancerChangedEventArgs(group.Snapshot()));
        }
    }

    internal void OnEjected(EndpointEjectionEventArgs args) => EndpointEjected?.Invoke(this, args);

    internal void OnReturned(EndpointEjectionEventArgs args) => EndpointReturned?.Invoke(this, args);
}
