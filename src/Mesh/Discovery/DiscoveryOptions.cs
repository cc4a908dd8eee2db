namespace Mesh.Discovery;

/// <summary>How services are watched (<c>Mesh:Discovery</c>).</summary>
public sealed class DiscoveryOptions
{
    /// <summary>
    /// Gets or sets whether instances whose checks warn are used (<c>Mesh:Discovery:IncludeWarning</c>).
    /// </summary>
    /// <value>Defaults to <see langword="false"/>: passing instances only.</value>
    public bool IncludeWarning { get; set; }

    /// <summary>
    /// Gets or sets the shortest time between two queries of one watch, so that a registry answering at once
    /// (index reset, flapping service) is never asked in a tight loop (<c>Mesh:Discovery:MinQueryInterval</c>).
    /// </summary>
    /// <value>Defaults to 100 ms.</value>
    public TimeSpan MinQueryInterval { get; set; } = DiscoveryDefaults.MinQueryInterval;

    /// <summary>
    /// Gets or sets the first delay after a failed query; it doubles per failure, with full jitter
    /// (<c>Mesh:Discovery:ErrorBackoff</c>).
    /// </summary>
    /// <value>Defaults to 1 s.</value>
    public TimeSpan ErrorBackoff { get; set; } = DiscoveryDefaults.ErrorBackoff;

    /// <summary>
    /// Gets or sets the longest delay after failed queries (<c>Mesh:Discovery:MaxErrorBackoff</c>).
    /// </summary>
    /// <value>Defaults to 1.5 s: the registry's return is seen within 2 s.</value>
    public TimeSpan MaxErrorBackoff { get; set; } = DiscoveryDefaults.MaxErrorBackoff;
}
