namespace Mesh.Registries.Local;

/// <summary>The Local registry's settings (<c>Mesh:Local</c>).</summary>
public sealed class LocalRegistryOptions
{
    /// <summary>
    /// Gets or sets the directory shared by every process on this machine that uses the same registry
    /// (<c>Mesh:Local:Directory</c>).
    /// </summary>
    /// <value>Defaults to <c>mesh-registry</c> under the user's temporary directory.</value>
    public string? Directory { get; set; }

    /// <summary>
    /// Gets or sets how often the directory is re-read when file notifications are missed or unavailable
    /// (<c>Mesh:Local:PollInterval</c>).
    /// </summary>
    /// <value>Defaults to 500 ms.</value>
    public TimeSpan PollInterval { get; set; } = LocalRegistryDefaults.PollInterval;

    /// <summary>
    /// Gets or sets whether to follow the directory with file notifications (<c>Mesh:Local:UseFileNotifications</c>).
    /// Turn it off where notifications do not arrive (some network shares and container bind mounts); polling alone
    /// then finds every change within <see cref="PollInterval"/>.
    /// </summary>
    /// <value>Defaults to <see langword="true"/>.</value>
    public bool UseFileNotifications { get; set; } = true;
}
