namespace Mesh.Balancing;

/// <summary>A channel's balancer for one service changed what it can call (<see cref="BalancingMonitor.BalancerChanged"/>).</summary>
public sealed class BalancerChangedEventArgs : EventArgs
{
    /// <summary>Creates the arguments.</summary>
    /// <param name="snapshot">The balancer's state after the change.</param>
    public BalancerChangedEventArgs(BalancerSnapshot snapshot) => Snapshot = snapshot;

    /// <summary>Gets the balancer's state after the change.</summary>
    public BalancerSnapshot Snapshot { get; }
}
