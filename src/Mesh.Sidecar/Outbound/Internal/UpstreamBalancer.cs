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
    private readonly Dictionary<string, EndpointState> _states = new(StringComparer.Ordinal);
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
    /// low and P2C could send every attempt of a call to it before ejection notices. Null while discovery lists none.
    /// </summary>
    public EndpointState? Pick(EndpointState? previous = null)
    {
        if (Volatile.Read(ref _picker) is not { } picker)
        {
            return null;
        }

        var chosen = picker.Choose();
        if (!ReferenceEquals(chosen, previous) || picker.All.Length < 2)
        {
            return chosen;
        }

        // Another instance, from a random start so that retries spread over the rest; ejected ones only if all are.
        var all = picker.All;
        var start = Random.Shared.Next(all.Length);
        for (var i = 0; i < all.Length; i++)
        {
            var other = all[(start + i) % all.Length];
            if (!ReferenceEquals(other, previous) && !other.IsEjected)
            {
                return other;
            }
        }

        return chosen;
    }

    /// <summary>Waits (bounded by <see cref="BalancingOptions.ResolveTimeout"/>) for discovery's first answer, as the library's resolver does.</summary>
    public async ValueTask WaitForFirstAnswerAsync(CancellationToken cancellationToken)
    {
        if (_watch.Current.HasResolved)
        {
            return;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.ResolveTimeout);
        try
        {
            // Applied here: the subscription delivers it on the thread pool, maybe after this call's pick.
            Update(await _watch.WaitForChangeAsync(0, timeout.Token).ConfigureAwait(false));
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
            var now = Group.Time.GetTimestamp();
            // Newcomers start at the incumbents' average latency, as in the library's balancer.
            var averageLatency = _states.Count == 0 ? 0 : _states.Values.Average(s => s.Latency.Estimate(now));
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var endpoint in snapshot.Endpoints)
            {
                var key = endpoint.Id + "@" + endpoint.Authority;
                seen.Add(key);
                if (_states.TryGetValue(key, out var existing))
                {
                    existing.Endpoint = endpoint;
                }
                else
                {
                    _states.Add(key, new EndpointState(endpoint, Group, averageLatency));
                }
            }

            foreach (var (key, state) in _states.Where(kv => !seen.Contains(kv.Key)).ToList())
            {
                _states.Remove(key);
                Group.Detector.Detach(state);
            }

            EndpointState[] all = [.. _states.Values];
            Group.SetMembers([.. all]);
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
