using Grpc.Core;
using Mesh.Resilience.Internal;

namespace Mesh.Resilience;

/// <summary>
/// A <see cref="CallInvoker"/> that applies a service's <see cref="ServiceCallPolicy"/> to every call: overall
/// deadline, deadline and cancellation inherited from the incoming call, retries with full-jitter backoff under the
/// service's retry budget, hedging of idempotent methods, and the service's circuit breaker.
/// </summary>
/// <remarks>
/// Wrap the invoker of a channel to the service (<c>channel.CreateCallInvoker().WithCallPolicy(policy)</c>): every
/// attempt is a new call on that channel, so each retry or hedge gets a fresh load-balancer pick.
/// Unary calls are retried and hedged; server-streaming calls are retried until the first response message (or the
/// response headers) reach the caller; client- and duplex-streaming calls get the deadline and the breaker only.
/// </remarks>
public sealed class MeshCallInvoker : CallInvoker
{
    private readonly CallInvoker _inner;
    private readonly CallPolicyEngine _engine;
    private readonly ICallContextSource? _callContextSource;

    /// <summary>Creates the invoker.</summary>
    /// <param name="inner">The invoker that sends each attempt, typically a <c>GrpcChannel</c>'s.</param>
    /// <param name="policy">The policy of the service <paramref name="inner"/> calls; share one per service.</param>
    /// <param name="callContextSource">Finds the incoming call whose deadline and cancellation outgoing calls inherit; none when null.</param>
    public MeshCallInvoker(CallInvoker inner, ServiceCallPolicy policy, ICallContextSource? callContextSource = null)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(policy);
        _inner = inner;
        Policy = policy;
        _engine = policy.Engine;
        _callContextSource = callContextSource;
    }

    /// <summary>Gets the policy applied to every call.</summary>
    public ServiceCallPolicy Policy { get; }

    /// <inheritdoc />
    public override TResponse BlockingUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
    {
        using var call = AsyncUnaryCall(method, host, options, request);
        return call.ResponseAsync.GetAwaiter().GetResult();
    }

    /// <inheritdoc />
    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
    {
        var policy = Begin(method, options, out var scope);
        UnaryCallBase<TRequest, TResponse> call = policy.IsHedged
            ? new HedgingUnaryCall<TRequest, TResponse>(_engine, _inner, method, host, request, policy, scope)
            : new RetryingUnaryCall<TRequest, TResponse>(_engine, _inner, method, host, request, policy, scope);
        return call.Start();
    }

    /// <inheritdoc />
    public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
    {
        var policy = Begin(method, options, out var scope);
        return new RetryingServerStreamingCall<TRequest, TResponse>(_engine, _inner, method, host, request, policy, scope).Start();
    }

    /// <inheritdoc />
    public override AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options)
    {
        var policy = Begin(method, options, out var scope);
        return TrackedClientStreamingCall.Start(_engine, _inner, method, host, policy, scope);
    }

    /// <inheritdoc />
    public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options)
    {
        var policy = Begin(method, options, out var scope);
        return TrackedDuplexStreamingCall<TRequest, TResponse>.Start(_engine, _inner, method, host, policy, scope);
    }

    private MethodPolicy Begin(IMethod method, CallOptions options, out CallScope scope)
    {
        ArgumentNullException.ThrowIfNull(method);
        var policy = _engine.Methods.Resolve(method);

        // Every call deposits into the budget that retries and hedges withdraw from.
        _engine.Budget.Deposit();
        // The fallback bounds unary calls only: streams legitimately run for as long as their caller wants.
        var fallback = method.Type == MethodType.Unary ? _engine.FallbackTimeout : null;
        scope = CallScope.Create(options, policy.Timeout, fallback, _engine.TimeProvider, _callContextSource);
        return policy;
    }
}
