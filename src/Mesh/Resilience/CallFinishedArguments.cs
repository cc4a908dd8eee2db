using Grpc.Core;

namespace Mesh.Resilience;

/// <summary>Describes a logical call that ended, after all its attempts; see <see cref="ICallPolicyObserver.OnCallFinished"/>.</summary>
public readonly struct CallFinishedArguments
{
    /// <summary>Creates the arguments.</summary>
    /// <param name="serviceName">The mesh service called.</param>
    /// <param name="method">The gRPC method's full name.</param>
    /// <param name="status">The status the caller saw.</param>
    /// <param name="duration">How long the call took, retries and backoff included.</param>
    public CallFinishedArguments(string serviceName, string method, Status status, TimeSpan duration)
    {
        ServiceName = serviceName;
        Method = method;
        Status = status;
        Duration = duration;
    }

    /// <summary>Gets the mesh service called.</summary>
    public string ServiceName { get; }

    /// <summary>Gets the gRPC method's full name, <c>/package.Service/Method</c>.</summary>
    public string Method { get; }

    /// <summary>Gets the status the caller saw (a stream's: its end, its failure, or Cancelled when disposed early).</summary>
    public Status Status { get; }

    /// <summary>Gets how long the call took, from the first attempt to the end (of the response stream, for streams).</summary>
    public TimeSpan Duration { get; }
}
