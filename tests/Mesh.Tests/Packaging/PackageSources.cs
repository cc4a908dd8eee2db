using System.Reflection;
using System.Xml.Linq;

namespace Mesh.Tests.Packaging;

/// <summary>Where the sources and the build output of the package under test are: the clone this test was built from.</summary>
internal static class PackageSources
{
    /// <summary>The configuration this test assembly (and so the Mesh it references) was built in.</summary>
#if DEBUG
    public const string Configuration = "Debug";
#else
    public const string Configuration = "Release";
#endif

    private static readonly Lazy<string?> Root = new(FindRoot);

    /// <summary>Gets the clone's root (where Mesh.sln is), or <see langword="null"/> when the tests run outside one.</summary>
    public static string? RepositoryRoot => Root.Value;

    public static string ProjectDirectory => Path.Combine(RepositoryRoot!, "src", "Mesh");

    /// <summary>The Mesh.dll that <c>dotnet pack --no-build</c> puts in the package: the build the tests reference.</summary>
    public static string BuiltAssembly => Path.Combine(ProjectDirectory, "bin", Configuration, "net10.0", "Mesh.dll");

    public static string ConsumerTemplate => Path.Combine(RepositoryRoot!, "tests", "package-consumer");

    /// <summary>Gets why the package cannot be packed from here, or <see langword="null"/> when it can.</summary>
    public static string? SkipReason =>
        RepositoryRoot is null
            ? $"No clone of Mesh (Mesh.sln, src/Mesh) above {AppContext.BaseDirectory}: the package tests pack the sources they were built from."
            : !File.Exists(BuiltAssembly)
                ? $"{BuiltAssembly} is missing: build src/Mesh in {Configuration} first (dotnet test Mesh.sln -c {Configuration} does)."
                : null;

    /// <summary>Gets the version the sources set (Directory.Build.props VersionPrefix), from the assembly built with it.</summary>
    public static string VersionPrefix =>
        typeof(MeshOptions).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion.Split('+')[0];

    /// <summary>Returns the version Directory.Packages.props pins for <paramref name="packageId"/>.</summary>
    public static string PinnedVersion(string packageId) =>
        XDocument.Load(Path.Combine(RepositoryRoot!, "Directory.Packages.props"))
            .Descendants("PackageVersion")
            .Single(p => (string?)p.Attribute("Include") == packageId)
            .Attribute("Version")!.Value;

    private static string? FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Mesh.sln")) && File.Exists(Path.Combine(dir.FullName, "src", "Mesh", "Mesh.csproj")))
            {
                return dir.FullName;
            }
        }

        return null;
    }
}
