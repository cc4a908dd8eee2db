using Mesh.Resilience.Internal;

namespace Mesh.Resilience;

/// <summary>
/// The call policy of one service: its settled options, its retry budget and its circuit breaker. Create one per
/// service and share it between every <see cref="MeshCallInvoker"/> calling that service, because the budget and the
/// breaker only work when they see all of the service's traffic.
/// </summary>
public sealed class ServiceCallPolicy
{
    /// <summary>Creates the policy of a service.</summary>
    /// <param name="serviceName">The mesh service name, as in <c>Mesh:Services:&lt;name&gt;</c>.</param>
    /// <param name="options">The policy options; read once, here.</param>
    /// <param name="timeProvider">The clock for deadlines, backoff and windows; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="observer">Hears attempts, denied retries and breaker transitions; none when null.</param>
    /// <exception cref="ArgumentException">The options are invalid; the message names each bad key.</exception>
    public ServiceCallPolicy(string serviceName, CallPolicyOptions options, TimeProvider? timeProvider = null, ICallPolicyObserver? observer = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(serviceName);
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        CallPolicyOptionsValidator.Validate($"Mesh:Services:{serviceName}:Policy", options, errors);
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(Environment.NewLine, errors), nameof(options));
        }

        Engine = new CallPolicyEngine(serviceName, options, timeProvider ?? TimeProvider.System, observer);
    }

    /// <summary>Gets the mesh service name.</summary>
    public string ServiceName => Engine.ServiceName;

    /// <summary>Gets the state of the service's circuit breaker (<see cref="CircuitState.Closed"/> when it is disabled).</summary>
    public CircuitState CircuitState => Engine.Breaker?.State ?? CircuitState.Closed;

    internal CallPolicyEngine Engine { get; }
}
