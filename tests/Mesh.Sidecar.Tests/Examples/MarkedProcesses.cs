using System.Text;

namespace Mesh.Sidecar.Tests.Examples;

/// <summary>
/// Finds every process that inherited a marker variable, however deep in the tree and whoever its parent is now: a
/// child the demo failed to stop is re-parented when the demo exits, but keeps the environment it was started with.
/// </summary>
internal sealed class MarkedProcesses
{
    private readonly string _entry;

    public MarkedProcesses()
    {
        Name = "MESH_DEMO_TEST_RUN";
        Value = Guid.NewGuid().ToString("N");
        _entry = $"{Name}={Value}";
    }

    public string Name { get; }

    public string Value { get; }

    /// <summary>Gets whether processes can be found this way (Linux: /proc/&lt;pid&gt;/environ).</summary>
    public static bool Supported => OperatingSystem.IsLinux() && Directory.Exists("/proc/self");

    /// <summary>The live processes carrying the marker, as "pid: command line".</summary>
    public IReadOnlyList<string> Find()
    {
        var found = new List<string>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }

            try
            {
                var environment = Encoding.UTF8.GetString(File.ReadAllBytes(Path.Combine(dir, "environ"))).Split('\0');
                if (environment.Contains(_entry, StringComparer.Ordinal))
                {
                    found.Add($"{pid}: {File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ')}");
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Exited meanwhile, or not ours to read.
            }
        }

        return found;
    }
}
