using Grpc.Net.Client.Balancer;
using Mesh.Balancing;
using Mesh.Balancing.Internal;
using Mesh.Discovery;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Mesh.Tests.Balancing;

/// <summary>A balancer's endpoint group without gRPC: instances with no subchannel, calls simulated through their trackers.</summary>
internal sealed class EndpointGroupBuilder
{
    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));

    public BalancingOptions Options { get; } = new();

    public BalancingMonitor Monitor { get; } = new();

    public List<EndpointEjectionEventArgs> Ejected { get; } = [];

    public List<EndpointEjectionEventArgs> Returned { get; } = [];

    public (EndpointGroup Group, SubchannelEndpointState[] Endpoints) Build(int count, LoadBalancerKind kind = LoadBalancerKind.RoundRobin, Func<int, string[]>? tags = null)
    {
        Monitor.EndpointEjected += (_, e) => Ejected.Add(e);
        Monitor.EndpointReturned += (_, e) => Returned.Add(e);
        var group = new EndpointGroup("orders", kind, Options, Time, Monitor, NullLogger.Instance);
        var endpoints = Enumerable.Range(0, count)
            .Select(i => new SubchannelEndpointState(new ServiceEndpoint($"orders-{i}", "orders", "10.0.0.1", 5000 + i) { Tags = [.. tags?.Invoke(i) ?? []] }, group))
            .ToArray();
        foreach (var endpoint in endpoints)
        {
            endpoint.Bind(null);
        }

        group.SetMembers([.. endpoints]);
        return (group, endpoints);
    }

    /// <summary>Runs one call on <paramref name="endpoint"/> through a rented tracker, as gRPC would.</summary>
    public static void Call(SubchannelEndpointState endpoint, Exception? error = null)
    {
        var tracker = endpoint.Rent().SubchannelCallTracker!;
        tracker.Start();
        tracker.Complete(new CompletionContext { Error = error });
    }

    public static void Fail(SubchannelEndpointState endpoint, int times = 1)
    {
        for (var i = 0; i < times; i++)
        {
            Call(endpoint, new HttpRequestException("Connection refused"));
        }
    }
}
