using Mesh.Consul;
using Mesh.Discovery;
using Mesh.Internal;
using Microsoft.Extensions.Logging;

namespace Mesh.Registries.Consul;

/// <summary>
/// Follows one query with blocking queries on <c>/v1/health/service</c>, by the rules Consul documents and
/// <c>tests/consul-samples/README.md</c> shows: block on the last <c>X-Consul-Index</c>; reset to 0 when the index goes
/// backwards (or after an error, so a restarted agent is read at once); back off with full jitter on errors; and never
/// ask more often than <see cref="DiscoveryOptions.MinQueryInterval"/>, even when Consul answers at once. An agent that
/// restarted and lost its registrations (its index below the last one published) answers an empty list until the
/// instances register again at their next heartbeat: that answer is held back (the snapshot goes stale) for up to
/// <see cref="RestartGrace"/>, so callers never see "no healthy instances" on the way.
/// </summary>
internal sealed partial class ConsulServiceWatcher
{
    private readonly ConsulClient _client;
    private readonly DiscoveryOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    /// <summary>
    /// How long an empty answer from a restarted agent is held back: the default TTL (15 s), past the TTL/3 heartbeat
    /// at which registrants notice "not registered" and register again.
    /// </summary>
    internal static readonly TimeSpan RestartGrace = TimeSpan.FromSeconds(15);

    public ConsulServiceWatcher(ConsulClient client, DiscoveryOptions options, TimeProvider timeProvider, ILogger logger)
    {
        _client = client;
        _options = options;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    public async Task WatchAsync(ServiceQuery query, IServiceWatchObserver observer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(observer);
        ulong index = 0;
        ulong published = 0; // the index of the last answer published with instances in it
        long? holdingSince = null;
        var failures = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            var started = _timeProvider.GetTimestamp();
            try
            {
                var response = await _client.Health.ServiceAsync(
                    query.ServiceName,
                    query.Tag,
                    passingOnly: !query.IncludeWarning,
                    new ConsulQueryOptions { Index = index, Datacenter = query.Datacenter, Filter = query.Filter },
                    cancellationToken).ConfigureAwait(false);

                index = NextIndex(index, response.Index, query);
                failures = 0;
                var endpoints = ToEndpoints(response.Value);
                if (endpoints.Count == 0 && response.Index < published && HoldBack(ref holdingSince))
                {
                    // Block on the restarted agent's own index: the re-registrations raise it and end the wait.
                    index = response.Index;
                    observer.OnError($"the Consul agent restarted (index {published} -> {response.Index}) and lists no instance of '{query.ServiceName}' yet; keeping the last snapshot", null);
                }
                else
                {
                    holdingSince = null;
                    published = endpoints.Count > 0 ? response.Index : 0;
                    observer.OnEndpoints(endpoints);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (ConsulException ex)
            {
                failures++;
                index = 0;
                observer.OnError(ex.Message, ex);
                var delay = Backoff.FullJitter(failures, _options.ErrorBackoff, _options.MaxErrorBackoff);
                Log.QueryFailed(_logger, query.ServiceName, failures, delay.TotalMilliseconds);
                if (!await DelayAsync(delay, cancellationToken).ConfigureAwait(false))
                {
                    return;
                }

                continue;
            }

            var remaining = _options.MinQueryInterval - _timeProvider.GetElapsedTime(started);
            if (remaining > TimeSpan.Zero && !await DelayAsync(remaining, cancellationToken).ConfigureAwait(false))
            {
                return;
            }
        }
    }

    /// <summary>Returns whether an empty answer is still within <see cref="RestartGrace"/> of the first one.</summary>
    private bool HoldBack(ref long? holdingSince)
    {
        holdingSince ??= _timeProvider.GetTimestamp();
        return _timeProvider.GetElapsedTime(holdingSince.Value) < RestartGrace;
    }

    private ulong NextIndex(ulong previous, ulong returned, ServiceQuery query)
    {
        if (returned < previous)
        {
            // The agent's index went backwards (a restart, a snapshot restore, an index ahead of the agent's):
            // start over with a non-blocking read. MinQueryInterval keeps that from becoming a tight loop.
            Log.IndexReset(_logger, query.ServiceName, previous, returned);
            return 0;
        }

        return returned;
    }

    private static List<ServiceEndpoint> ToEndpoints(Mesh.Consul.Models.ServiceEntry[] entries)
    {
        var endpoints = new List<ServiceEndpoint>(entries.Length);
        foreach (var entry in entries)
        {
            var endpoint = ConsulRegistrationMapper.ToEndpoint(entry);
            // Without ?passing Consul returns every instance; warning ones are wanted here, critical ones never.
            if (endpoint.Health != EndpointHealth.Critical && endpoint.Port > 0 && endpoint.Host.Length > 0)
            {
                endpoints.Add(endpoint);
            }
        }

        return endpoints;
    }

    private async Task<bool> DelayAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, _timeProvider, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
