using System.Reflection;
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
    public void Package_Version_IsZeroXFromOnePlace()
    {
        // Directory.Build.props' VersionPrefix versions the assembly (and, unless a run overrides it, the package).
        var version = Version.Parse(PackageSources.VersionPrefix.Split('-')[0]);
        Assert.Equal(0, version.Major);
        Assert.Equal(version, typeof(MeshOptions).Assembly.GetName().Version is { } v ? new Version(v.Major, v.Minor, v.Build) : null);
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
