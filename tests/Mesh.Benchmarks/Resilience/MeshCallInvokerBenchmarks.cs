using System.Text;
using BenchmarkDotNet.Attributes;
using Grpc.Core;
using Mesh.Resilience;

namespace Mesh.Benchmarks.Resilience;

/// <summary>
/// The per-call overhead of <see cref="MeshCallInvoker"/> on the success path (first attempt answers), over an inner
/// call that has already completed, so nothing but the policy engine is measured.
/// </summary>
[MemoryDiagnoser]
public class MeshCallInvokerBenchmarks
{
    private static readonly Marshaller<string> Utf8 = Marshallers.Create(Encoding.UTF8.GetBytes, Encoding.UTF8.GetString);
    private static readonly Method<string, string> Method = new(MethodType.Unary, "bench.Orders", "Get", Utf8, Utf8);
    private readonly CompletedCallInvoker _inner = new();
    private readonly CallInvoker _mesh;
    private readonly CallInvoker _meshNoTimeout;
    private readonly PendingCallInvoker _pendingInner = new();
    private readonly CallInvoker _meshPending;

    public MeshCallInvokerBenchmarks()
    {
        _mesh = _inner.WithCallPolicy(new ServiceCallPolicy("orders", new CallPolicyOptions()));
        _meshNoTimeout = _inner.WithCallPolicy(new ServiceCallPolicy("orders", new CallPolicyOptions { Timeout = TimeSpan.Zero }));
        _meshPending = _pendingInner.WithCallPolicy(new ServiceCallPolicy("orders", new CallPolicyOptions()));
    }

    [Benchmark(Baseline = true)]
    public string Inner() => Call(_inner);

    /// <summary>The default policy: 30 s timeout (a clock read and a deadline), budget deposit, breaker, retry-ready.</summary>
    [Benchmark]
    public string MeshDefaultPolicy() => Call(_mesh);

    [Benchmark]
    public string MeshNoTimeout() => Call(_meshNoTimeout);

    /// <summary>The inner call answers after the wrapper has started awaiting it, as on a real channel.</summary>
    [Benchmark]
    public string InnerPending() => CallPending(_pendingInner);

    /// <summary>The default policy over a call that answers later: its async path, the one every real call takes.</summary>
    [Benchmark]
    public string MeshDefaultPolicyPending() => CallPending(_meshPending);

    private string CallPending(CallInvoker invoker)
    {
        using var call = invoker.AsyncUnaryCall(Method, null, default, "request");
        _pendingInner.Answer();
        return call.ResponseAsync.GetAwaiter().GetResult();
    }

    private static string Call(CallInvoker invoker)
    {
        using var call = invoker.AsyncUnaryCall(Method, null, default, "request");
        return call.ResponseAsync.GetAwaiter().GetResult();
    }
}
