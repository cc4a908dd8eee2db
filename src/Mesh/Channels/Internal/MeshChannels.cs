using System.Collections.Concurrent;
using Grpc.Core;
using Grpc.Net.Client;
using Mesh.Balancing;
using Mesh.Discovery;
using Mesh.Resilience;
using Mesh.Telemetry.Internal;

namespace Mesh.Channels.Internal;

/// <summary>The DI-owned <see cref="IMeshChannels"/>: channels and policies created on first use, disposed with the container.</summary>
internal sealed class MeshChannels : IMeshChannels, IDisposable
{
    private readonly ConcurrentDictionary<(string Scheme, string Service), Lazy<GrpcChannel>> _channels = new();
    private readonly ConcurrentDictionary<string, Lazy<ServiceCallPolicy>> _policies = new(StringComparer.Ordinal);
    private readonly IServiceProvider _services;
    private readonly Func<string, CallPolicyOptions> _policyOptions;
    private readonly TimeProvider _timeProvider;
    private readonly ICallPolicyObserver? _observer;
    private readonly ICallContextSource? _callContext;
    private readonly MeshMetrics? _metrics;

    public MeshChannels(IServiceProvider services, Func<string, CallPolicyOptions> policyOptions, TimeProvider timeProvider, ICallPolicyObserver? observer, ICallContextSource? callContext, MeshMetrics? metrics = null)
    {
        _metrics = metrics;
        _services = services;
        _policyOptions = policyOptions;
        _timeProvider = timeProvider;
        _observer = observer;
        _callContext = callContext;
    }

    public GrpcChannel GetChannel(string serviceName, string scheme = BalancingDefaults.MeshScheme)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(serviceName);
        ArgumentException.ThrowIfNullOrWhiteSpace(scheme);
        // Lazy: two racing first callers must not both open a channel (one would leak its connections).
        return _channels.GetOrAdd((scheme, serviceName), key => new Lazy<GrpcChannel>(() => CreateChannel(key.Scheme, key.Service))).Value;
    }

    public ServiceCallPolicy GetPolicy(string serviceName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(serviceName);
        return _policies.GetOrAdd(serviceName, name => new Lazy<ServiceCallPolicy>(() =>
        {
            var policy = new ServiceCallPolicy(name, _policyOptions(name), _timeProvider, _observer);
            _metrics?.TrackPolicy(policy);
            return policy;
        })).Value;
    }

    public CallInvoker CreateCallInvoker(string serviceName, string scheme = BalancingDefaults.MeshScheme) =>
        GetChannel(serviceName, scheme).CreateCallInvoker().WithCallPolicy(GetPolicy(serviceName), _callContext);

    public void Dispose()
    {
        foreach (var channel in _channels.Values.Where(c => c.IsValueCreated))
        {
            channel.Value.Dispose();
        }
    }

    private GrpcChannel CreateChannel(string scheme, string serviceName) =>
        GrpcChannel.ForAddress(new Uri($"{scheme}:///{serviceName}"), MeshChannelOptions.Create(_services, serviceName));
}
