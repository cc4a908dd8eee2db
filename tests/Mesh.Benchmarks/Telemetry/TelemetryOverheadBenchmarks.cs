using System.Diagnostics;
using System.Text;
using BenchmarkDotNet.Attributes;
using Grpc.Core;
using Mesh.Benchmarks.Resilience;
using Mesh.Discovery;
using Mesh.Resilience;
using Mesh.Resilience.Internal;
using Mesh.Telemetry;
using Mesh.Telemetry.Internal;

namespace Mesh.Benchmarks.Telemetry;

/// <summary>
/// What Mesh's instrumentation costs per call. With nothing listening: the call-level hooks (begin + end of a
/// call's telemetry, as every call wrapper runs them) and the picker's record of the chosen instance, which must be
/// flag checks. With a sampled-in listener: a whole unary call through <see cref="MeshCallInvoker"/> (call span +
/// attempt span), against the same call untraced.
/// </summary>
[MemoryDiagnoser]
public class TelemetryOverheadBenchmarks
{
    private static readonly Marshaller<string> Utf8 = Marshallers.Create(Encoding.UTF8.GetBytes, Encoding.UTF8.GetString);
    private static readonly Method<string, string> Method = new(MethodType.Unary, "bench.Orders", "Get", Utf8, Utf8);
    private static readonly ServiceEndpoint Endpoint = new("orders-1", "orders", "10.0.0.1", 5000);
    private readonly CallInvoker _mesh;
    private readonly CallPolicyEngine _engine;
    private readonly MethodPolicy _method;
    private ActivityListener? _listener;

    public TelemetryOverheadBenchmarks()
    {
        var policy = new ServiceCallPolicy("orders", new CallPolicyOptions { Timeout = TimeSpan.Zero });
        _mesh = new CompletedCallInvoker().WithCallPolicy(policy);
        _engine = policy.Engine;
        _method = _engine.Methods.Resolve(Method);
    }

    [GlobalSetup(Targets = [nameof(UnaryCall_SampledListener)])]
    public void Listen()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == MeshTelemetry.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    [GlobalCleanup]
    public void Stop() => _listener?.Dispose();

    /// <summary>Begin + end of a call's telemetry with no listener and no observer: what instrumentation adds to a call.</summary>
    [Benchmark]
    public bool CallHooks_NoListener()
    {
        var telemetry = _engine.BeginCall(_method);
        if (telemetry.IsObserved)
        {
            _engine.EndCall(telemetry, _method, Status.DefaultSuccess);
        }

        return telemetry.IsObserved;
    }

    /// <summary>The picker's record of the chosen instance, with no listener.</summary>
    [Benchmark]
    public void RecordPick_NoListener() => MeshActivities.RecordPick(Endpoint);

    [Benchmark(Baseline = true)]
    public string UnaryCall_NoListener() => Call();

    [Benchmark]
    public string UnaryCall_SampledListener() => Call();

    private string Call()
    {
        using var call = _mesh.AsyncUnaryCall(Method, null, default, "request");
        return call.ResponseAsync.GetAwaiter().GetResult();
    }
}
