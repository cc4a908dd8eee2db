using System.Diagnostics;

namespace Mesh.Sidecar.Tests.Examples;

/// <summary>Where the examples and their builds are (the clone these tests were built from), and a Python that has grpcio.</summary>
internal static class ExamplePaths
{
#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    private static readonly Lazy<string?> Root = new(FindRoot);
    private static readonly Lazy<string?> GrpcPython = new(() => FindPython("grpc"));
    private static readonly Lazy<string?> YamlPython = new(() => FindPython("yaml"));

    /// <summary>Gets the clone's root (where Mesh.sln is), or <see langword="null"/> outside a clone.</summary>
    public static string? RepositoryRoot => Root.Value;

    public static string Examples => Path.Combine(RepositoryRoot!, "examples");

    /// <summary>Gets a python3 that can <c>import grpc</c> (the one on PATH, else Debian's /usr/bin/python3), or null.</summary>
    public static string? PythonWithGrpc => GrpcPython.Value;

    /// <summary>Gets a python3 that can <c>import yaml</c>, or null.</summary>
    public static string? PythonWithYaml => YamlPython.Value;

    /// <summary>Gets the configuration these tests (and so the examples they reference) were built in.</summary>
    public static string BuildConfiguration => Configuration;

    /// <summary>The built apphost of the one-command demo (examples/Mesh.Demo).</summary>
    public static string DemoBinary =>
        Path.Combine(Examples, "Mesh.Demo", "bin", Configuration, "net10.0", OperatingSystem.IsWindows() ? "Mesh.Demo.exe" : "Mesh.Demo");

    /// <summary>The built apphost of example project <paramref name="project"/> (examples/Shop/<paramref name="project"/>).</summary>
    public static string ShopBinary(string project) =>
        Path.Combine(Examples, "Shop", project, "bin", Configuration, "net10.0", OperatingSystem.IsWindows() ? project + ".exe" : project);

    /// <summary>
    /// The sidecar executable copied next to these tests (the project reference builds it), or the one
    /// <c>MESH_SHOP_SIDECAR</c> names: the shop test then checks a published build (the single file, the tool).
    /// </summary>
    public static string Sidecar =>
        Environment.GetEnvironmentVariable("MESH_SHOP_SIDECAR") is { Length: > 0 } published
            ? published
            : Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "Mesh.Sidecar.exe" : "Mesh.Sidecar");

    private static string? FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Mesh.sln")) && Directory.Exists(Path.Combine(dir.FullName, "examples", "Shop")))
            {
                return dir.FullName;
            }
        }

        return null;
    }

    private static string? FindPython(string module)
    {
        foreach (var candidate in new[] { "python3", "/usr/bin/python3" })
        {
            try
            {
                using var process = Process.Start(new ProcessStartInfo(candidate, ["-c", $"import {module}"])
                {
                    RedirectStandardOutput = true,
                    RedirectStandardError = true,
                    UseShellExecute = false,
                });
                if (process is not null && process.WaitForExit(TimeSpan.FromSeconds(20)) && process.ExitCode == 0)
                {
                    return candidate;
                }
            }
            catch (System.ComponentModel.Win32Exception)
            {
                // Not installed under that name: try the next.
            }
        }

        return null;
    }
}
