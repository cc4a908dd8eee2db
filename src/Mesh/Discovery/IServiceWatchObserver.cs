namespace Mesh.Discovery;

/// <summary>Receives what an <see cref="IServiceWatcher"/> sees.</summary>
public interface IServiceWatchObserver
{
    /// <summary>The registry answered with this complete set of instances (possibly unchanged).</summary>
    /// <param name="endpoints">Every instance that matches the query now.</param>
    void OnEndpoints(IReadOnlyList<ServiceEndpoint> endpoints);

    /// <summary>The registry could not be asked, or answered something unusable; the last good set stands.</summary>
    /// <param name="reason">A short, secret-free description for logs and <see cref="ServiceSnapshot.LastError"/>.</param>
    /// <param name="exception">The underlying failure, if any.</param>
    void OnError(string reason, Exception? exception);
}
