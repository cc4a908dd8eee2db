using Grpc.Core;

namespace Mesh.Resilience.Internal;

/// <summary>
/// Starts the one attempt of a call that is never retried (client and duplex streaming): asks the breaker, sends,
/// and keeps the telemetry and breaker books straight if sending throws. Both streaming wrappers start this way.
/// </summary>
internal static class SingleAttemptStart
{
    /// <summary>Sends the attempt; <see langword="null"/> when the breaker is open (the scope is then disposed and the call ended).</summary>
    /// <param name="engine">The service's policy engine (breaker, telemetry).</param>
    /// <param name="policy">The method's policy.</param>
    /// <param name="scope">The call's deadline and cancellation; disposed here when the attempt does not start.</param>
    /// <param name="state">The inputs of <paramref name="send"/>.</param>
    /// <param name="send">Sends with the scope's options; static, with its inputs in <paramref name="state"/>, so starting allocates no closure.</param>
    /// <param name="token">The attempt's breaker and telemetry bookkeeping.</param>
    /// <param name="telemetry">The call's telemetry, begun here.</param>
    public static TCall? TrySend<TState, TCall>(
        CallPolicyEngine engine, MethodPolicy policy, CallScope scope, TState state, Func<TState, CallOptions, TCall> send,
        out AttemptToken token, out CallTelemetry telemetry)
        where TCall : class
    {
        telemetry = engine.BeginCall(policy);
        try
        {
            if (!engine.TryBeginAttempt(policy, 1, isHedge: false, TimeSpan.Zero, telemetry, out token))
            {
                scope.Dispose();
                engine.EndCall(telemetry, policy, engine.CircuitOpenStatus);
                return null;
            }

            try
            {
                return send(state, scope.Options);
            }
            catch (Exception ex)
            {
                engine.AbandonAttempt(token, policy);
                engine.EndCall(telemetry, policy, new Status(StatusCode.Unknown, ex.Message));
                scope.Dispose();
                throw;
            }
            finally
            {
                CallPolicyEngine.AttemptSent(token);
            }
        }
        finally
        {
            // Starting returns synchronously: the caller's span must be current again when it gets the call.
            telemetry.RestoreCurrent();
        }
    }
}
