namespace Mesh.Discovery.Internal;

/// <summary>
/// Delivers snapshots to one callback on the thread pool, one call at a time. A slow callback is not queued up
/// behind: it next receives the latest snapshot, never a backlog of outdated ones.
/// </summary>
internal sealed class SnapshotSubscription : IDisposable
{
    private readonly Action<ServiceSnapshot> _callback;
    private readonly Action<SnapshotSubscription> _remove;
    private readonly Action<Exception> _onCallbackError;
    private readonly Lock _lock = new();
    private ServiceSnapshot? _pending;
    private bool _running;
    private bool _disposed;

    public SnapshotSubscription(Action<ServiceSnapshot> callback, Action<SnapshotSubscription> remove, Action<Exception> onCallbackError)
    {
        _callback = callback;
        _remove = remove;
        _onCallbackError = onCallbackError;
    }

    public void Post(ServiceSnapshot snapshot)
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _pending = snapshot;
            if (_running)
            {
                return;
            }

            _running = true;
        }

        ThreadPool.UnsafeQueueUserWorkItem(static s => s.Drain(), this, preferLocal: false);
    }

    private void Drain()
    {
        while (true)
        {
            ServiceSnapshot next;
            lock (_lock)
            {
                if (_pending is null || _disposed)
                {
                    _running = false;
                    return;
                }

                next = _pending;
                _pending = null;
            }

            try
            {
                _callback(next);
            }
#pragma warning disable CA1031 // A subscriber's bug must not stop deliveries to it or to others.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                _onCallbackError(ex);
            }
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
            _pending = null;
        }

        _remove(this);
    }
}
