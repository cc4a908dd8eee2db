using Mesh.Balancing;
using Mesh.Balancing.Internal;
using Mesh.Discovery;
using Mesh.Sidecar.Inbound;
using Microsoft.Extensions.Logging;

namespace Mesh.Sidecar.Outbound.Internal;

/// <summary>
/// The outbound door's balancer of one upstream service: the library's shared discovery watch feeds the same
/// transport-neutral <see cref="EndpointState"/>s, <see cref="EndpointGroup"/> (outlier ejection, monitor) and
/// <see cref="EndpointPicker"/>s the library's gRPC balancer uses; only the connection is the forwarder's.
/// </summary>
internal sealed class UpstreamBalancer : IDisposable
{
    private readonly Lock _lock = new();
    private readonly EndpointStateSet<string, UpstreamEndpointState> _states;
    private readonly IServiceWatch _watch;
    private readonly IDisposable _subscription;
    private readonly BalancingOptions _options;
    private EndpointPicker? _picker;
    private long _version = -1;

    public UpstreamBalancer(string serviceName, ServiceQuery query, IServiceDiscovery discovery, BalancingOptions options, TimeProvider time, BalancingMonitor monitor, ILogger logger)
    {
        ServiceName = serviceName;
        _options = options;
        // One client per upstream, so its connects time out after the service's own ConnectTimeout (the option the
        // library's channel reads too); a connect that never completes then fails the attempt, which is retried elsewhere.
        Invoker = new HttpMessageInvoker(AppHttpClient.CreateHandler(options.ConnectTimeout), disposeHandler: true);
        Group = new EndpointGroup(serviceName, options.LoadBalancer, options, time, monitor, logger);
        _states = new(Group, (endpoint, latency) => new UpstreamEndpointState(endpoint, Group, latency));
        _watch = discovery.Watch(query);
        // Subscribe first: a snapshot published between reading Current and subscribing would otherwise be missed.
        _subscription = _watch.Subscribe(Update);
        Update(_watch.Current);
    }

    public string ServiceName { get; }

    /// <summary>Gets the client the forwarder sends this service's attempts with.</summary>
    public HttpMessageInvoker Invoker { get; }

    public EndpointGroup Group { get; }

    /// <summary>Gets discovery's latest snapshot of the service.</summary>
    public ServiceSnapshot Snapshot => _watch.Current;

    /// <summary>
    /// Chooses an instance, not <paramref name="previous"/> (the one a retry's failed attempt went to, as Envoy's
    /// <c>previous_hosts</c> retry predicate) while another is not ejected: a dead app behind a live sidecar fails fast, so its latency looks
    /// low and P2C could send every attempt of a call to it before ejection notices. The retry keeps to the instances
    /// with <see cref="BalancingOptions.PreferTag"/> while one of them is left. Null while discovery lists none.
    /// </summary>
    public UpstreamEndpointState? Pick(EndpointState? previous, out bool unreachable)
    {
        unreachable = false;
        if (Volatile.Read(ref _picker) is not { } picker)
        {
            return null;
        }

        var chosen = picker.Choose();
        var avoid = ReferenceEquals(chosen, previous) && picker.All.Length >= 2;
        if (!avoid && chosen.TryAdmit())
        {
            return (UpstreamEndpointState)chosen;
        }

        // Rare: a retry's pick of the instance that just failed, or one whose connect was just refused.
        if ((Other(picker.Preferred, previous, ejectedToo: false) ?? Other(picker.All, previous, ejectedToo: false)) is { } other)
        {
            return (UpstreamEndpointState)other;
        }

        if (avoid && chosen.TryAdmit())
        {
            return (UpstreamEndpointState)chosen; // the others are ejected: back to the one that failed, as before
        }

        if (Other(picker.All, previous: chosen, ejectedToo: true) is { } ejected)
        {
            return (UpstreamEndpointState)ejected; // the chosen one refuses and only ejected ones accept
        }

        unreachable = true; // every listed instance refused its last connect within the hold
        return null;
    }

    /// <summary>A non-ejected instance of <paramref name="candidates"/> other than <paramref name="previous"/>, from a random start so that retries spread over the rest.</summary>
    private static EndpointState? Other(EndpointState[] candidates, EndpointState? previous, bool ejectedToo)
    {
        var start = candidates.Length == 0 ? 0 : Random.Shared.Next(candidates.Length);
        for (var i = 0; i < candidates.Length; i++)
        {
            var other = candidates[(start + i) % candidates.Length];
            if (!ReferenceEquals(other, previous) && (ejectedToo || !other.IsEjected) && other.TryAdmit())
            {
                return other;
            }
        }

        return null;
    }

    /// <summary>Waits (bounded by <see cref="BalancingOptions.ResolveTimeout"/>) for discovery's first answer, as the library's resolver does.</summary>
    public async ValueTask WaitForFirstAnswerAsync(CancellationToken cancellationToken)
    {
        if (_watch.Current.HasResolved)
        {
            return;
        }

        // On the sidecar's clock (a test's fake one included), as every other timer of the call.
        using var timeout = new CancellationTokenSource(_options.ResolveTimeout, Group.Time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            // Applied here: the subscription delivers it on the thread pool, maybe after this call's pick.
            Update(await _watch.WaitForChangeAsync(0, linked.Token).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // No answer in time: the caller fails fast with "no healthy instances".
        }
    }

    private void Update(ServiceSnapshot snapshot)
    {
        lock (_lock)
        {
            if (snapshot.Version <= _version)
            {
                return;
            }

            _version = snapshot.Version;
            // Keyed by id and authority: an instance re-registered elsewhere is another instance (and destination).
            _states.Sync(snapshot.Endpoints, endpoint => endpoint.Id + "@" + endpoint.Authority, endpoint => endpoint);
            EndpointState[] all = [.. _states.All];
            Volatile.Write(ref _picker, all.Length == 0 ? null : EndpointPicker.Create(_options.LoadBalancer, all, _options.PreferTag, Group.Time));
            Group.SetReady(all);
        }
    }

    public void Dispose()
    {
        _subscription.Dispose();
        _watch.Dispose();
        Group.Dispose();
        Invoker.Dispose();
    }
}
