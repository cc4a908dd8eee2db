namespace Mesh.Discovery;

/// <summary>Default values of <see cref="DiscoveryOptions"/>.</summary>
public static class DiscoveryDefaults
{
    /// <summary>The default <see cref="DiscoveryOptions.MinQueryInterval"/>: 100 ms.</summary>
    public static readonly TimeSpan MinQueryInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>The default <see cref="DiscoveryOptions.ErrorBackoff"/>: 1 s.</summary>
    public static readonly TimeSpan ErrorBackoff = TimeSpan.FromSeconds(1);

    /// <summary>The default <see cref="DiscoveryOptions.MaxErrorBackoff"/>: 30 s.</summary>
    public static readonly TimeSpan MaxErrorBackoff = TimeSpan.FromSeconds(30);
}
