using BenchmarkDotNet.Attributes;
using Grpc.Net.Client.Balancer;
using Mesh.Balancing;
using Mesh.Balancing.Internal;
using Mesh.Discovery;
using Microsoft.Extensions.Logging.Abstractions;

namespace Mesh.Benchmarks.Balancing;

/// <summary>
/// The per-call hot path of a Mesh channel: the picker chooses an instance and hands out a tracker, gRPC starts and
/// completes it (latency, calls in flight, outlier counters). Instances have no subchannel: everything else is the
/// production code. Run: <c>dotnet run -c Release --project tests/Mesh.Benchmarks -- --filter '*Pick*' --job short</c>.
/// </summary>
[MemoryDiagnoser]
public class PickBenchmarks
{
    private readonly PickContext _context = new();
    private readonly CompletionContext _completion = new();
    private SubchannelPicker _picker = null!;
    private EndpointGroup _group = null!;

    [Params(3, 100)]
    public int Endpoints { get; set; }

    [Params(LoadBalancerKind.RoundRobin, LoadBalancerKind.PowerOfTwoChoices)]
    public LoadBalancerKind Kind { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _group = new EndpointGroup("orders", Kind, new BalancingOptions(), TimeProvider.System, new BalancingMonitor(), NullLogger.Instance);
        var endpoints = Enumerable.Range(0, Endpoints)
            .Select(i => new SubchannelEndpointState(new ServiceEndpoint($"orders-{i}", "orders", "10.0.0.1", 5000 + i), _group))
            .ToArray();
        foreach (var endpoint in endpoints)
        {
            endpoint.Bind(null);
        }

        _group.SetMembers([.. endpoints]);
        _picker = new MeshPicker(Kind == LoadBalancerKind.RoundRobin
            ? new RoundRobinPicker(endpoints, [], start: 0)
            : new PowerOfTwoChoicesPicker(endpoints, [], TimeProvider.System));
    }

    [GlobalCleanup]
    public void Cleanup() => _group.Dispose();

    [Benchmark]
    public void PickAndTrack()
    {
        var tracker = _picker.Pick(_context).SubchannelCallTracker!;
        tracker.Start();
        tracker.Complete(_completion);
    }
}
