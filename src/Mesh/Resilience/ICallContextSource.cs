namespace Mesh.Resilience;

/// <summary>
/// Finds the incoming call this code is handling, if any, so that outgoing calls inherit its remaining deadline and
/// its cancellation. <see cref="ServerCallContextSource"/> reads ASP.NET Core gRPC's; the sidecar supplies its own.
/// </summary>
public interface ICallContextSource
{
    /// <summary>Gets the incoming call on the current async flow.</summary>
    /// <param name="context">The incoming call's deadline and cancellation, when there is one.</param>
    /// <returns><see langword="true"/> when code is running on behalf of an incoming call.</returns>
    bool TryGetIncomingCall(out IncomingCallContext context);
}
