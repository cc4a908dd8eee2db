using System.IO.Compression;
using System.Xml.Linq;

namespace Mesh.Tests.Packaging;

/// <summary>
/// Packs src/Mesh once for the packaging tests, the way .ci/run does but into a temp folder feed and under a version
/// unique to this run (<c>0.1.0-pkgtest-…</c>): a restore can then only ever get this package, never a copy of an
/// earlier pack that some cache still holds under the same version.
/// </summary>
public sealed class PackedMeshPackage : IAsyncLifetime
{
    private static readonly TimeSpan PackTimeout = TimeSpan.FromMinutes(3);

    /// <summary>Gets the run's scratch directory (feed, consumer app, packages folder), deleted afterwards.</summary>
    public string Root { get; } = Path.Combine(Path.GetTempPath(), "mesh-package-" + Guid.NewGuid().ToString("N")[..12]);

    public string Feed => Path.Combine(Root, "feed");

    public string Version { get; } = $"{PackageSources.VersionPrefix}-pkgtest-{Guid.NewGuid().ToString("N")[..8]}";

    internal DotnetResult? Pack { get; private set; }

    public string NupkgPath => Path.Combine(Feed, $"Mesh.{Version}.nupkg");

    public async Task InitializeAsync()
    {
        if (PackageSources.SkipReason is not null)
        {
            return;
        }

        Directory.CreateDirectory(Feed);
        // --no-build: the package holds the very Mesh.dll these tests were built against. PackageVersion (not
        // --version-suffix) changes only the package's version, so nothing is recompiled; the run's nuspec goes to
        // the scratch directory, not into src/Mesh/obj.
        Pack = await DotnetCli.RunAsync(PackageSources.RepositoryRoot!, PackTimeout, null,
            "pack", PackageSources.ProjectDirectory, "-c", PackageSources.Configuration, "--no-build", "--no-restore",
            "-o", Feed, $"-p:PackageVersion={Version}", $"-p:NuspecOutputPath={Path.Combine(Root, "nuspec")}{Path.DirectorySeparatorChar}",
            "-nodeReuse:false");
    }

    /// <summary>Returns the packed .nupkg, failing with pack's output when packing failed.</summary>
    public ZipArchive OpenPackage()
    {
        Assert.True(Pack is { ExitCode: 0 } && File.Exists(NupkgPath), $"dotnet pack failed (exit {Pack?.ExitCode}):\n{Pack?.Output}");
        return ZipFile.OpenRead(NupkgPath);
    }

    /// <summary>Returns the package's metadata element (the nuspec's, namespace-free names via LocalName).</summary>
    public XElement ReadMetadata()
    {
        using var package = OpenPackage();
        using var nuspec = package.GetEntry("Mesh.nuspec")!.Open();
        return XDocument.Load(nuspec).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
    }

    public Task DisposeAsync()
    {
        try
        {
            if (Directory.Exists(Root))
            {
                Directory.Delete(Root, recursive: true);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort: a file still held by an exiting child process leaves a folder in the temp dir, nothing more.
        }

        return Task.CompletedTask;
    }
}
