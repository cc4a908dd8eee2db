using Grpc.Core;
using Grpc.Net.Client.Balancer;
using Grpc.Net.Client.Configuration;
using Mesh.Discovery;
using Microsoft.Extensions.Logging;

namespace Mesh.Balancing.Internal;

/// <summary>
/// Resolves one service for one channel by following the process's shared discovery watch: every published snapshot
/// becomes a resolver result (no polling of its own). Unchanged instances keep their addresses, so gRPC keeps their
/// connections. If discovery has not answered within the resolve timeout, calls fail instead of waiting forever.
/// </summary>
internal sealed partial class MeshResolver : Resolver
{
    private readonly string _serviceName;
    private readonly ServiceQuery _query;
    private readonly IServiceDiscovery _discovery;
    private readonly TimeSpan _resolveTimeout;
    private readonly ServiceConfig? _serviceConfig;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private Action<ResolverResult>? _listener;
    private IServiceWatch? _watch;
    private IDisposable? _subscription;
    private ITimer? _resolveTimer;
    private ResolverResult? _pending;
    private ResolverResult? _latest;
    private bool _delivering;
    private long _lastVersion;
    private bool _disposed;

    public MeshResolver(string serviceName, ServiceQuery query, IServiceDiscovery discovery, TimeSpan resolveTimeout,
        ServiceConfig? serviceConfig, TimeProvider timeProvider, ILogger logger)
    {
        _serviceName = serviceName;
        _query = query;
        _discovery = discovery;
        _resolveTimeout = resolveTimeout;
        _serviceConfig = serviceConfig;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <summary>The status of every failed call while the service has no instance.</summary>
    public static Status NoHealthyInstances(string serviceName) => new(StatusCode.Unavailable, $"no healthy instances of '{serviceName}'");

    public override void Start(Action<ResolverResult> listener)
    {
        ArgumentNullException.ThrowIfNull(listener);
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_listener is not null)
            {
                throw new InvalidOperationException("The resolver has already been started.");
            }

            _listener = listener;
            _watch = _discovery.Watch(_query);
            _resolveTimer = _timeProvider.CreateTimer(static s => ((MeshResolver)s!).OnResolveTimeout(), this, _resolveTimeout, Timeout.InfiniteTimeSpan);
        }

        var subscription = _watch.Subscribe(OnSnapshot);
        lock (_lock)
        {
            _subscription = subscription;
        }

        // A snapshot published before Subscribe is not delivered to it; the version check drops a double delivery.
        OnSnapshot(_watch.Current);
    }

    /// <summary>
    /// Hands gRPC the latest result again. The shared watch pushes every change, so there is nothing new to learn, but
    /// gRPC's balancer asks whenever a connection drops or fails and acts on the answer by its own state: hearing
    /// "no healthy instances" again once it has no ready connection is what makes it drop the subchannels, instead of
    /// reconnecting to an instance discovery no longer lists.
    /// </summary>
    public override void Refresh()
    {
        lock (_lock)
        {
            if (!_disposed && _listener is not null && _latest is { } latest)
            {
                PublishLocked(latest);
            }
        }
    }

    private void OnSnapshot(ServiceSnapshot snapshot)
    {
        lock (_lock)
        {
            if (_disposed || _listener is null || !snapshot.HasResolved || snapshot.Version <= _lastVersion)
            {
                return;
            }

            _lastVersion = snapshot.Version;
            _resolveTimer?.Dispose();
            _resolveTimer = null;
            if (snapshot.Endpoints.IsEmpty)
            {
                Log.NoInstances(_logger, _serviceName);
                PublishLocked(ResolverResult.ForFailure(NoHealthyInstances(_serviceName)));
                return;
            }

            var addresses = new BalancerAddress[snapshot.Endpoints.Length];
            for (var i = 0; i < addresses.Length; i++)
            {
                var endpoint = snapshot.Endpoints[i];
                addresses[i] = new BalancerAddress(endpoint.Host, endpoint.Port);
                addresses[i].Attributes.Set(MeshBalancerAttributes.Endpoint, endpoint);
            }

            Log.Resolved(_logger, _serviceName, addresses.Length, snapshot.Version);
            PublishLocked(_serviceConfig is null ? ResolverResult.ForResult(addresses) : ResolverResult.ForResult(addresses, _serviceConfig, null));
        }
    }

    private void OnResolveTimeout()
    {
        lock (_lock)
        {
            if (_disposed || _lastVersion > 0 || _listener is null)
            {
                return;
            }

            Log.ResolveTimedOut(_logger, _serviceName, _resolveTimeout.TotalSeconds);
            PublishLocked(ResolverResult.ForFailure(NoHealthyInstances(_serviceName)));
        }
    }

    /// <summary>
    /// Hands results to gRPC on the thread pool, one at a time and latest-wins, never under this resolver's lock:
    /// gRPC calls <see cref="Start"/> under its own lock and takes that lock again in the listener, so calling the
    /// listener while holding ours could deadlock against a snapshot arriving during Start.
    /// </summary>
    private void PublishLocked(ResolverResult result)
    {
        _latest = result;
        _pending = result;
        if (!_delivering)
        {
            _delivering = true;
            ThreadPool.UnsafeQueueUserWorkItem(static s => s.Deliver(), this, preferLocal: false);
        }
    }

    private void Deliver()
    {
        while (true)
        {
            ResolverResult result;
            Action<ResolverResult> listener;
            lock (_lock)
            {
                if (_pending is null || _disposed || _listener is null)
                {
                    _delivering = false;
                    return;
                }

                result = _pending;
                listener = _listener;
                _pending = null;
            }

            try
            {
                listener(result);
            }
#pragma warning disable CA1031 // A throwing listener must not take the process down from a thread-pool item.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Log.ListenerFailed(_logger, _serviceName, ex);
            }
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            lock (_lock)
            {
                _disposed = true;
                _resolveTimer?.Dispose();
            }

            // Start assigned both before returning; gRPC disposes the resolver only after that.
            _subscription?.Dispose();
            _watch?.Dispose();
        }

        base.Dispose(disposing);
    }
}
