namespace Mesh.Resilience;

/// <summary>Describes a breaker transition; see <see cref="ICallPolicyObserver.OnCircuitStateChanged"/>.</summary>
public readonly struct CircuitStateChangedArguments
{
    /// <summary>Creates the arguments.</summary>
    /// <param name="serviceName">The mesh service whose breaker changed.</param>
    /// <param name="previousState">The state before.</param>
    /// <param name="state">The state now.</param>
    public CircuitStateChangedArguments(string serviceName, CircuitState previousState, CircuitState state)
    {
        ServiceName = serviceName;
        PreviousState = previousState;
        State = state;
    }

    /// <summary>Gets the mesh service whose breaker changed.</summary>
    public string ServiceName { get; }

    /// <summary>Gets the state before the change.</summary>
    public CircuitState PreviousState { get; }

    /// <summary>Gets the state now.</summary>
    public CircuitState State { get; }
}
