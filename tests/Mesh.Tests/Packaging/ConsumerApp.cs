using System.Xml.Linq;

namespace Mesh.Tests.Packaging;

/// <summary>
/// tests/package-consumer, copied outside the repo and set up to restore Mesh from the packed package's folder feed,
/// everything else from this machine's own NuGet sources.
/// </summary>
internal sealed class ConsumerApp
{
    private static readonly TimeSpan CliTimeout = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(1);

    private readonly PackedMeshPackage _package;

    private ConsumerApp(PackedMeshPackage package) => _package = package;

    public string AppDirectory => Path.Combine(_package.Root, "app");

    /// <summary>
    /// The app's own global packages folder: Mesh is extracted here, not into the machine's, so no test version ever
    /// lands in the user's cache. The machine's folder is a read-only fallback, so dependencies need no download.
    /// </summary>
    public string PackagesFolder => Path.Combine(_package.Root, "packages");

    public string RegistryDirectory => Path.Combine(_package.Root, "registry");

    private Dictionary<string, string> ChildEnvironment => new() { ["NUGET_PACKAGES"] = PackagesFolder };

    public static async Task<ConsumerApp> CreateAsync(PackedMeshPackage package)
    {
        var app = new ConsumerApp(package);
        Directory.CreateDirectory(app.AppDirectory);
        foreach (var file in Directory.GetFiles(PackageSources.ConsumerTemplate))
        {
            if (!file.EndsWith(".template", StringComparison.Ordinal))
            {
                File.Copy(file, Path.Combine(app.AppDirectory, Path.GetFileName(file)));
            }
        }

        var project = await File.ReadAllTextAsync(Path.Combine(PackageSources.ConsumerTemplate, "PackageConsumer.csproj.template"));
        await File.WriteAllTextAsync(Path.Combine(app.AppDirectory, "PackageConsumer.csproj"), project
            .Replace("{MeshVersion}", package.Version, StringComparison.Ordinal)
            .Replace("{GrpcAspNetCoreVersion}", PackageSources.PinnedVersion("Grpc.AspNetCore"), StringComparison.Ordinal));

        // Asked before this folder has a nuget.config of its own, so these are the machine's settings.
        var sources = await app.MachineSourcesAsync();
        var globalPackages = await app.MachineGlobalPackagesFolderAsync();
        app.WriteNuGetConfig(sources, globalPackages);
        return app;
    }

    public Task<DotnetResult> BuildAsync() =>
        DotnetCli.RunAsync(AppDirectory, BuildTimeout, ChildEnvironment, "build", "-c", "Release", "-nodeReuse:false");

    public Task<DotnetResult> RunAsync() =>
        DotnetCli.RunAsync(Path.Combine(AppDirectory, "bin", "Release", "net10.0"), RunTimeout, ChildEnvironment,
            "PackageConsumer.dll", $"--Mesh:Local:Directory={RegistryDirectory}");

    private async Task<IReadOnlyList<string>> MachineSourcesAsync()
    {
        // "E https://api.nuget.org/v3/index.json": E for enabled, then the source.
        var list = await DotnetCli.RunAsync(AppDirectory, CliTimeout, null, "nuget", "list", "source", "--format", "short");
        Assert.True(list.ExitCode == 0, list.Output);
        return [.. list.Output.Split('\n', StringSplitOptions.TrimEntries)
            .Where(line => line.StartsWith("E ", StringComparison.Ordinal))
            .Select(line => line[2..].Trim())];
    }

    private async Task<string> MachineGlobalPackagesFolderAsync()
    {
        // "global-packages: /home/user/.nuget/packages/"
        var list = await DotnetCli.RunAsync(AppDirectory, CliTimeout, null, "nuget", "locals", "global-packages", "--list");
        var line = list.Output.Split('\n', StringSplitOptions.TrimEntries).Single(l => l.StartsWith("global-packages:", StringComparison.Ordinal));
        return line["global-packages:".Length..].Trim();
    }

    private void WriteNuGetConfig(IReadOnlyList<string> machineSources, string machinePackages)
    {
        // Source mapping sends Mesh to the local feed only: the machine's sources are never asked for it (nuget.org
        // may well have an unrelated "Mesh"), and everything else is never looked for in the feed.
        var sources = machineSources.Select((source, i) => (Key: $"machine-{i + 1}", Source: source)).ToList();
        var config = new XElement("configuration",
            new XElement("config", new XElement("add", new XAttribute("key", "globalPackagesFolder"), new XAttribute("value", PackagesFolder))),
            new XElement("packageSources",
                new XElement("clear"),
                new XElement("add", new XAttribute("key", "mesh-local"), new XAttribute("value", _package.Feed)),
                sources.Select(s => new XElement("add", new XAttribute("key", s.Key), new XAttribute("value", s.Source)))),
            new XElement("packageSourceMapping",
                new XElement("packageSource", new XAttribute("key", "mesh-local"), Pattern("Mesh")),
                sources.Select(s => new XElement("packageSource", new XAttribute("key", s.Key), Pattern("*")))),
            new XElement("fallbackPackageFolders",
                new XElement("clear"),
                new XElement("add", new XAttribute("key", "machine"), new XAttribute("value", machinePackages))));
        new XDocument(config).Save(Path.Combine(AppDirectory, "nuget.config"));

        static XElement Pattern(string pattern) => new("package", new XAttribute("pattern", pattern));
    }
}
