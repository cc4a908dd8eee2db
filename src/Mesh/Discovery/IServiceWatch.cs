namespace Mesh.Discovery;

/// <summary>A caller's handle on a shared watch of one <see cref="ServiceQuery"/>.</summary>
public interface IServiceWatch : IDisposable
{
    /// <summary>Gets the watched query.</summary>
    ServiceQuery Query { get; }

    /// <summary>Gets the latest snapshot; never <see langword="null"/>, empty until the registry first answers.</summary>
    ServiceSnapshot Current { get; }

    /// <summary>
    /// Calls <paramref name="onChange"/> with every snapshot published after this call, on a thread-pool thread,
    /// one call at a time per subscription. Dispose the result to stop.
    /// </summary>
    /// <param name="onChange">The callback; it should return quickly.</param>
    IDisposable Subscribe(Action<ServiceSnapshot> onChange);

    /// <summary>
    /// Completes with the first snapshot whose <see cref="ServiceSnapshot.Version"/> is greater than
    /// <paramref name="afterVersion"/> (immediately if the current one already is).
    /// </summary>
    /// <param name="afterVersion">The version the caller has already seen; 0 waits for the first answer.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    Task<ServiceSnapshot> WaitForChangeAsync(long afterVersion, CancellationToken cancellationToken = default);
}
