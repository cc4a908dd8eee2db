using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Xunit.Abstractions;

namespace Mesh.Tests.Packaging;

/// <summary>What a user gets from <c>dotnet pack src/Mesh</c>: docs, readme, license, a 0.x version, nothing stray.</summary>
[Collection(PackagingTestGroup.Name)]
public sealed partial class PackageContentsTests(PackedMeshPackage package, ITestOutputHelper output)
{
    // Properties that set a version: only Directory.Build.props may set one.
    private static readonly HashSet<string> VersionProperties =
        ["Version", "VersionPrefix", "VersionSuffix", "PackageVersion", "AssemblyVersion", "FileVersion", "InformationalVersion"];

    [PackageFact]
    public void Pack_Mesh_IsWarningFree()
    {
        using var _ = package.OpenPackage();
        output.WriteLine($"dotnet pack took {package.Pack!.Elapsed.TotalSeconds:F1} s");
        Assert.Empty(WarningLine().Matches(package.Pack.Output).Select(m => m.Value));
    }

    [PackageFact]
    public void Package_Lib_IsTheAssemblyUnderTestWithItsXmlDocs()
    {
        using var nupkg = package.OpenPackage();
        using (var dll = new MemoryStream())
        {
            using (var entry = nupkg.GetEntry("lib/net10.0/Mesh.dll")!.Open())
            {
                entry.CopyTo(dll);
            }

            dll.Position = 0;
            using var pe = new PEReader(dll);
            var metadata = pe.GetMetadataReader();
            Assert.Equal(typeof(MeshOptions).Assembly.ManifestModule.ModuleVersionId, metadata.GetGuid(metadata.GetModuleDefinition().Mvid));
        }

        var docsEntry = nupkg.GetEntry("lib/net10.0/Mesh.xml");
        Assert.True(docsEntry is not null, "the package has no XML docs: " + string.Join(", ", nupkg.Entries.Select(e => e.FullName)));
        using var docsStream = docsEntry.Open();
        var documented = XDocument.Load(docsStream).Descendants("member")
            .Select(m => (string)m.Attribute("name")!).ToHashSet(StringComparer.Ordinal);
        var undocumented = typeof(MeshOptions).Assembly.GetExportedTypes()
            .Select(t => "T:" + t.FullName!.Replace('+', '.'))
            .Where(id => !documented.Contains(id))
            .ToList();
        Assert.Empty(undocumented);
    }

    [PackageFact]
    public void Package_Metadata_HasReadmeLicenseAndNoPlaceholderRepository()
    {
        var metadata = package.ReadMetadata();
        using var nupkg = package.OpenPackage();

        Assert.Equal("README.md", Element(metadata, "readme")?.Value);
        using (var readme = new StreamReader(nupkg.GetEntry("README.md")!.Open()))
        {
            Assert.Equal(File.ReadAllText(Path.Combine(PackageSources.ProjectDirectory, "README.md")), readme.ReadToEnd());
        }

        var license = Element(metadata, "license");
        Assert.Equal(("expression", "MIT"), ((string?)license?.Attribute("type"), license?.Value));
        Assert.NotNull(nupkg.GetEntry("LICENSE"));

        // No repository URL is known yet: better none than a made-up one on a reserved domain.
        var url = (string?)Element(metadata, "repository")?.Attribute("url");
        Assert.True(url is null || !ReservedDomain().IsMatch(url), $"placeholder repository url {url}");
    }

    [PackageFact]
    public void Package_Version_IsZeroXSetOnceInDirectoryBuildProps()
    {
        var root = PackageSources.RepositoryRoot!;
        var setters = Directory.EnumerateFiles(root, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".csproj", StringComparison.Ordinal) || f.EndsWith(".props", StringComparison.Ordinal) || f.EndsWith(".targets", StringComparison.Ordinal))
            .Where(f => !Path.GetRelativePath(root, f).Split(Path.DirectorySeparatorChar).Any(d => d is "bin" or "obj" or ".git" or "artifacts"))
            .SelectMany(f => XDocument.Load(f).Descendants("PropertyGroup").Elements()
                .Where(e => VersionProperties.Contains(e.Name.LocalName))
                .Select(e => (File: Path.GetRelativePath(root, f), Name: e.Name.LocalName, e.Value)))
            .ToList();

        var setter = Assert.Single(setters);
        Assert.Equal(("Directory.Build.props", "VersionPrefix"), (setter.File, setter.Name));
        Assert.StartsWith("0.", setter.Value, StringComparison.Ordinal);
        Assert.Equal(setter.Value, PackageSources.VersionPrefix);
        // This run's package carries the per-run version the fixture packed it under.
        Assert.Equal(package.Version, Element(package.ReadMetadata(), "version")?.Value);
    }

    [PackageFact]
    public void Package_Dependencies_CarryNoAnalyzers()
    {
        var ids = package.ReadMetadata().Descendants().Where(e => e.Name.LocalName == "dependency")
            .Select(e => (string)e.Attribute("id")!).ToList();
        Assert.Contains("Grpc.Net.Client", ids);
        Assert.DoesNotContain(ids, id => id.StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal));
    }

    private static XElement? Element(XElement metadata, string name) => metadata.Elements().FirstOrDefault(e => e.Name.LocalName == name);

    [GeneratedRegex(@"\bwarning [A-Z]+[0-9]+\b.*")]
    private static partial Regex WarningLine();

    [GeneratedRegex(@"^[a-z]+://([^/]+\.)?(invalid|example|test|localhost|example\.(com|org|net))(:[0-9]+)?(/|$)", RegexOptions.IgnoreCase)]
    private static partial Regex ReservedDomain();
}
