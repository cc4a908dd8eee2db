namespace Mesh.Demo;

/// <summary>The caller's own view of a service's instances, one hop behind discovery: its channel, or its sidecar.</summary>
internal interface ICallerView
{
    /// <summary>Gets how the demo names the caller (<c>the channel</c>, <c>sidecar a</c>).</summary>
    string Name { get; }

    /// <summary>Waits until the caller sends its calls to exactly the instances <paramref name="ids"/>.</summary>
    Task WaitForInstancesAsync(IReadOnlySet<string> ids, CancellationToken cancellationToken);
}
