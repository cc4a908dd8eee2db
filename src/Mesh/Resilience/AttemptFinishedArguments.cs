using Grpc.Core;

namespace Mesh.Resilience;

/// <summary>Describes an attempt that ended; see <see cref="ICallPolicyObserver.OnAttemptFinished"/>.</summary>
public readonly struct AttemptFinishedArguments
{
    /// <summary>Creates the arguments.</summary>
    /// <param name="serviceName">The mesh service called.</param>
    /// <param name="method">The gRPC method's full name.</param>
    /// <param name="attemptNumber">The 1-based attempt number within the call.</param>
    /// <param name="status">How the attempt ended; <see cref="StatusCode.Cancelled"/> for a losing hedge.</param>
    /// <param name="duration">How long the attempt took.</param>
    /// <param name="willRetry">Whether the engine sends another attempt because of this one's failure.</param>
    public AttemptFinishedArguments(string serviceName, string method, int attemptNumber, Status status, TimeSpan duration, bool willRetry)
    {
        ServiceName = serviceName;
        Method = method;
        AttemptNumber = attemptNumber;
        Status = status;
        Duration = duration;
        WillRetry = willRetry;
    }

    /// <summary>Gets the mesh service called.</summary>
    public string ServiceName { get; }

    /// <summary>Gets the gRPC method's full name, <c>/package.Service/Method</c>.</summary>
    public string Method { get; }

    /// <summary>Gets the 1-based attempt number within the call.</summary>
    public int AttemptNumber { get; }

    /// <summary>Gets how the attempt ended; a streaming attempt counts as OK once its first message arrived.</summary>
    public Status Status { get; }

    /// <summary>Gets how long the attempt took (to its first message, for streams).</summary>
    public TimeSpan Duration { get; }

    /// <summary>Gets whether the engine sends another attempt because of this one's failure.</summary>
    public bool WillRetry { get; }
}
