using Mesh.Resilience;

namespace Mesh.Telemetry.Internal;

/// <summary>
/// The observer <c>AddMesh</c> gives every service's call policy: records the call metrics, then passes each event
/// on to the app's own <see cref="ICallPolicyObserver"/>, if it registered one.
/// </summary>
internal sealed class MeshCallObserver : ICallPolicyObserver
{
    private readonly MeshMetrics _metrics;
    private readonly ICallPolicyObserver? _next;

    public MeshCallObserver(MeshMetrics metrics, ICallPolicyObserver? next)
    {
        _metrics = metrics;
        _next = next;
    }

    public bool IsEnabled => _metrics.CallsEnabled || (_next?.IsEnabled ?? false);

    public void OnAttemptStarted(in AttemptStartedArguments arguments)
    {
        _metrics.AttemptStarted(arguments);
        _next?.OnAttemptStarted(arguments);
    }

    public void OnAttemptFinished(in AttemptFinishedArguments arguments)
    {
        _metrics.AttemptFinished(arguments);
        _next?.OnAttemptFinished(arguments);
    }

    public void OnRetryDenied(in RetryDeniedArguments arguments)
    {
        _metrics.RetryDenied(arguments);
        _next?.OnRetryDenied(arguments);
    }

    public void OnCallFinished(in CallFinishedArguments arguments)
    {
        _metrics.CallFinished(arguments);
        _next?.OnCallFinished(arguments);
    }

    public void OnCircuitStateChanged(in CircuitStateChangedArguments arguments) => _next?.OnCircuitStateChanged(arguments);
}
