namespace Mesh.Discovery;

/// <summary>Default values of <see cref="DiscoveryOptions"/>.</summary>
public static class DiscoveryDefaults
{
    /// <summary>The default <see cref="DiscoveryOptions.MinQueryInterval"/>: 100 ms.</summary>
    public static readonly TimeSpan MinQueryInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>The default <see cref="DiscoveryOptions.ErrorBackoff"/>: 1 s.</summary>
    public static readonly TimeSpan ErrorBackoff = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The default <see cref="DiscoveryOptions.MaxErrorBackoff"/>: 1.5 s, so a watch sees the registry's return within
    /// 2 s however long it was down (with 30 s it could take 30 s: issue 11's registry-down scenario). One small query
    /// per watched service every ~0.75 s on average is little for an agent that refuses or fails it.
    /// </summary>
    public static readonly TimeSpan MaxErrorBackoff = TimeSpan.FromSeconds(1.5);
}
