namespace Mesh.Registries.Local;

/// <summary>Default values of <see cref="LocalRegistryOptions"/>.</summary>
public static class LocalRegistryDefaults
{
    /// <summary>The default poll interval: 500 ms.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    /// <summary>Returns the default directory: <c>mesh-registry</c> under the user's temporary directory.</summary>
    public static string Directory => Path.Combine(Path.GetTempPath(), "mesh-registry");
}
