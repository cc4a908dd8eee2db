namespace Mesh.Discovery;

/// <summary>
/// Finds the live instances of services. One watch runs per <see cref="ServiceQuery"/> in the process, however
/// many callers ask for it; callers share its immutable <see cref="ServiceSnapshot"/>s.
/// </summary>
public interface IServiceDiscovery
{
    /// <summary>
    /// Returns a handle on the shared watch for <paramref name="query"/>, starting the watch if this is its first
    /// handle. Dispose the handle when done; the watch stops when its last handle is disposed.
    /// </summary>
    /// <param name="query">The service and filters to watch.</param>
    IServiceWatch Watch(ServiceQuery query);
}
