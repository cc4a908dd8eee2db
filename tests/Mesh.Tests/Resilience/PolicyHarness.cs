using Grpc.Core;
using Mesh.Resilience;
using Mesh.Tests.TestSupport;

namespace Mesh.Tests.Resilience;

/// <summary>
/// A <see cref="MeshCallInvoker"/> over a <see cref="ScriptedCallInvoker"/> on fake time, for the service "orders",
/// with <c>test.Orders/Get</c> marked idempotent, a fixed jitter sample so backoff delays are exact, and no fallback
/// timeout unless the test sets one.
/// </summary>
internal sealed class PolicyHarness
{
    public PolicyHarness(Action<CallPolicyOptions>? configure = null, double jitter = 0, ICallContextSource? callContext = null)
    {
        // Off unless a test turns it on: its shared timer would be the first one tests waiting for a backoff see.
        var options = new CallPolicyOptions { FallbackTimeout = TimeSpan.Zero };
        options.Methods["test.Orders/Get"] = new MethodPolicyOptions { Idempotent = true };
        configure?.Invoke(options);
        Timers = new LiveTimerTimeProvider(Time);
        Policy = new ServiceCallPolicy("orders", options, Timers, Observer);
        Policy.Engine.Jitter = () => jitter;
        Invoker = new MeshCallInvoker(Inner, Policy, callContext);
    }

    public SignallingTimeProvider Time { get; } = new();

    /// <summary>Gets the policy's view of <see cref="Time"/>, which counts the timers still armed.</summary>
    public LiveTimerTimeProvider Timers { get; }

    public ScriptedCallInvoker Inner { get; } = new();

    public RecordingPolicyObserver Observer { get; } = new();

    public ServiceCallPolicy Policy { get; }

    public MeshCallInvoker Invoker { get; }

    public PolicyHarness Script(params ScriptedAttempt[] attempts)
    {
        foreach (var attempt in attempts)
        {
            Inner.Enqueue(attempt);
        }

        return this;
    }

    public AsyncUnaryCall<string> Call(Method<string, string>? method = null, CallOptions options = default) =>
        Invoker.AsyncUnaryCall(method ?? TestMethods.Unary, null, options, "request");

    /// <summary>Runs a call expected to fail and returns its exception.</summary>
    public async Task<RpcException> FailAsync(Method<string, string>? method = null, CallOptions options = default) =>
        await Assert.ThrowsAsync<RpcException>(() => Call(method, options).ResponseAsync);
}
