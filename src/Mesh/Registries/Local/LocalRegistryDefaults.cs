namespace Mesh.Registries.Local;

/// <summary>Default values of <see cref="LocalRegistryOptions"/> and of the Local registry's leases.</summary>
public static class LocalRegistryDefaults
{
    /// <summary>The default poll interval: 500 ms.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    /// <summary>The lease of an instance whose check is not a TTL check (HTTP or gRPC checks need an agent to run them): 15 s.</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Returns the default directory: <c>mesh-registry-&lt;user&gt;</c> under the user's temporary directory, so two
    /// users of one machine do not share (or fight over) one registry.
    /// </summary>
    public static string Directory => Path.Combine(Path.GetTempPath(), "mesh-registry-" + Internal.LocalEntryStore.FileName(Environment.UserName));
}
