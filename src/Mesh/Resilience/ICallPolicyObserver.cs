namespace Mesh.Resilience;

/// <summary>
/// Hears what the call policy does, for telemetry. Every method has an empty default, so an observer implements only
/// what it needs; with no observer the engine skips even building the arguments.
/// </summary>
/// <remarks>
/// Callbacks run inline on the calling thread, outside any lock: keep them short and never throw from them.
/// </remarks>
public interface ICallPolicyObserver
{
    /// <summary>
    /// Gets whether the observer wants the events of calls starting now. Read once per call: when false, that call
    /// reads no clock and builds no arguments for it, and its attempts report nothing. Circuit transitions are always
    /// reported. An observer feeding meters returns whether any of them is listened to.
    /// </summary>
    /// <value>Defaults to <see langword="true"/>.</value>
    bool IsEnabled => true;

    /// <summary>An attempt is about to be sent (after any backoff).</summary>
    /// <param name="arguments">Which attempt, and how long the engine waited before it.</param>
    void OnAttemptStarted(in AttemptStartedArguments arguments)
    {
    }

    /// <summary>An attempt ended (answered, failed, or was cancelled as a losing hedge).</summary>
    /// <param name="arguments">Which attempt, its status and how long it took.</param>
    void OnAttemptFinished(in AttemptFinishedArguments arguments)
    {
    }

    /// <summary>A retry or hedge would have been sent, but the service's retry budget was spent.</summary>
    /// <param name="arguments">The call and the failure that is returned instead.</param>
    void OnRetryDenied(in RetryDeniedArguments arguments)
    {
    }

    /// <summary>A logical call ended: its response (or stream) is complete, or it failed, after every attempt.</summary>
    /// <param name="arguments">The call, the status the caller saw and the call's duration.</param>
    void OnCallFinished(in CallFinishedArguments arguments)
    {
    }

    /// <summary>The service's circuit breaker changed state.</summary>
    /// <param name="arguments">The service, the old and the new state.</param>
    void OnCircuitStateChanged(in CircuitStateChangedArguments arguments)
    {
    }
}
