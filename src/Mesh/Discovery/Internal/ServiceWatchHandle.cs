namespace Mesh.Discovery.Internal;

/// <summary>One caller's reference to a <see cref="SharedServiceWatch"/>; disposing it releases the reference once.</summary>
internal sealed class ServiceWatchHandle : IServiceWatch
{
    private readonly SharedServiceWatch _watch;
    private Action<SharedServiceWatch>? _release;

    public ServiceWatchHandle(SharedServiceWatch watch, Action<SharedServiceWatch> release)
    {
        _watch = watch;
        _release = release;
    }

    public ServiceQuery Query => _watch.Query;

    public ServiceSnapshot Current => _watch.Current;

    public IDisposable Subscribe(Action<ServiceSnapshot> onChange) => _watch.Subscribe(onChange);

    public Task<ServiceSnapshot> WaitForChangeAsync(long afterVersion, CancellationToken cancellationToken = default) =>
        _watch.WaitForChangeAsync(afterVersion, cancellationToken);

    public void Dispose() => Interlocked.Exchange(ref _release, null)?.Invoke(_watch);
}
