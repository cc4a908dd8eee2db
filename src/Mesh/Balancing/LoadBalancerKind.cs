namespace Mesh.Balancing;

/// <summary>How a channel chooses among a service's instances.</summary>
public enum LoadBalancerKind
{
    /// <summary>
    /// Power of two choices: picks two instances at random and sends the call to the cheaper one, where cost is the
    /// peak-EWMA latency times the calls in flight (Finagle/Linkerd style). Moves load away from slow or busy
    /// instances without any configuration. Registered as <see cref="BalancingDefaults.PowerOfTwoChoicesPolicyName"/>.
    /// </summary>
    PowerOfTwoChoices = 0,

    /// <summary>
    /// Round robin from a random starting point: every instance gets the same share of calls whatever its speed.
    /// Registered as <see cref="BalancingDefaults.RoundRobinPolicyName"/>.
    /// </summary>
    RoundRobin = 1,
}
