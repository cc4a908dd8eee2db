namespace Mesh.Resilience;

/// <summary>Describes an attempt about to be sent; see <see cref="ICallPolicyObserver.OnAttemptStarted"/>.</summary>
public readonly struct AttemptStartedArguments
{
    /// <summary>Creates the arguments.</summary>
    /// <param name="serviceName">The mesh service called.</param>
    /// <param name="method">The gRPC method's full name, <c>/package.Service/Method</c>.</param>
    /// <param name="attemptNumber">The 1-based attempt number within the call.</param>
    /// <param name="isHedge">Whether the attempt is a hedge sent while earlier ones are still in flight.</param>
    /// <param name="backoff">How long the engine waited before this attempt.</param>
    public AttemptStartedArguments(string serviceName, string method, int attemptNumber, bool isHedge, TimeSpan backoff)
    {
        ServiceName = serviceName;
        Method = method;
        AttemptNumber = attemptNumber;
        IsHedge = isHedge;
        Backoff = backoff;
    }

    /// <summary>Gets the mesh service called.</summary>
    public string ServiceName { get; }

    /// <summary>Gets the gRPC method's full name, <c>/package.Service/Method</c>.</summary>
    public string Method { get; }

    /// <summary>Gets the 1-based attempt number within the call.</summary>
    public int AttemptNumber { get; }

    /// <summary>Gets whether the attempt is a hedge sent while earlier ones are still in flight.</summary>
    public bool IsHedge { get; }

    /// <summary>Gets how long the engine waited (backoff, pushback or hedging delay) before this attempt.</summary>
    public TimeSpan Backoff { get; }
}
