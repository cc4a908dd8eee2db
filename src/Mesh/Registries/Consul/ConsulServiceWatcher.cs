using Mesh.Consul;
using Mesh.Discovery;
using Mesh.Internal;
using Microsoft.Extensions.Logging;

namespace Mesh.Registries.Consul;

/// <summary>
/// Follows one query with blocking queries on <c>/v1/health/service</c>, by the rules Consul documents and
/// <c>tests/consul-samples/README.md</c> shows: block on the last <c>X-Consul-Index</c>; reset to 0 when the index goes
/// backwards (or after an error, so a restarted agent is read at once); back off with full jitter on errors; and never
/// ask more often than <see cref="DiscoveryOptions.MinQueryInterval"/>, even when Consul answers at once.
/// </summary>
internal sealed partial class ConsulServiceWatcher
{
    private readonly ConsulClient _client;
    private readonly DiscoveryOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

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
                observer.OnEndpoints(ToEndpoints(response.Value));
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
