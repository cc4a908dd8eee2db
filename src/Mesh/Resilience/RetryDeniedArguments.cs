using Grpc.Core;

namespace Mesh.Resilience;

/// <summary>Describes a retry the budget refused; see <see cref="ICallPolicyObserver.OnRetryDenied"/>.</summary>
public readonly struct RetryDeniedArguments
{
    /// <summary>Creates the arguments.</summary>
    /// <param name="serviceName">The mesh service called.</param>
    /// <param name="method">The gRPC method's full name.</param>
    /// <param name="attemptNumber">The number of the attempt that was refused.</param>
    /// <param name="lastStatus">The failure the call ends with instead.</param>
    public RetryDeniedArguments(string serviceName, string method, int attemptNumber, Status lastStatus)
    {
        ServiceName = serviceName;
        Method = method;
        AttemptNumber = attemptNumber;
        LastStatus = lastStatus;
    }

    /// <summary>Gets the mesh service called.</summary>
    public string ServiceName { get; }

    /// <summary>Gets the gRPC method's full name, <c>/package.Service/Method</c>.</summary>
    public string Method { get; }

    /// <summary>Gets the number of the attempt that was refused.</summary>
    public int AttemptNumber { get; }

    /// <summary>Gets the failure the call ends with instead (for a refused hedge, the call goes on without it).</summary>
    public Status LastStatus { get; }
}
