namespace Mesh.Discovery;

/// <summary>
/// The watch side of a registry (Consul, Local or Static): follows one query and reports what it sees.
/// Implementations own their transport's rules (blocking queries, file notifications, configuration reloads);
/// <see cref="IServiceDiscovery"/> owns sharing, last-known-good and staleness.
/// </summary>
public interface IServiceWatcher
{
    /// <summary>
    /// Follows <paramref name="query"/> until <paramref name="cancellationToken"/> is cancelled, calling
    /// <see cref="IServiceWatchObserver.OnEndpoints"/> with each answer and <see cref="IServiceWatchObserver.OnError"/>
    /// for each failed attempt. It handles its own retries and backoff and returns only when cancelled.
    /// </summary>
    /// <param name="query">The service and filters to follow.</param>
    /// <param name="observer">Receives answers and failures.</param>
    /// <param name="cancellationToken">Stops the watch.</param>
    Task WatchAsync(ServiceQuery query, IServiceWatchObserver observer, CancellationToken cancellationToken);
}
