using Mesh.Sidecar.Tests.Examples;

namespace Mesh.Sidecar.Tests.Distribution;

/// <summary>
/// The sidecar as a .NET tool, as users get it: packed (the build under test, <c>--no-build</c>) into a local feed,
/// installed with <c>dotnet tool install</c> from that feed only, and run by its command name.
/// </summary>
public sealed class SidecarToolTests : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(3);
    private readonly string _root = Directory.CreateTempSubdirectory("mesh-sidecar-tool-").FullName;

    [RepositoryFact]
    public async Task PackedAndInstalled_MeshSidecarHelp_ListsTheFlagsAndKeys()
    {
        using var bound = new CancellationTokenSource(Bound);
        var feed = Path.Combine(_root, "feed");
        var tools = Path.Combine(_root, "tools");
        var version = $"0.1.0-tooltest-{Guid.NewGuid().ToString("N")[..8]}";
        await DotnetAsync(bound.Token, "pack", Path.Combine(ExamplePaths.RepositoryRoot!, "src", "Mesh.Sidecar"), "-c", Configuration, "--no-build",
            "-o", feed, $"-p:PackageVersion={version}", $"-p:NuspecOutputPath={Path.Combine(_root, "nuspec")}{Path.DirectorySeparatorChar}", "-nodeReuse:false");
        var config = Path.Combine(_root, "nuget.config");
        await File.WriteAllTextAsync(config, $"""
            <configuration>
              <packageSources><clear /><add key="feed" value="{feed}" /></packageSources>
            </configuration>
            """, bound.Token);
        await DotnetAsync(bound.Token, "tool", "install", "Mesh.Sidecar", "--tool-path", tools, "--version", version, "--configfile", config);

        await using var help = ExampleProcess.Start("mesh-sidecar", Path.Combine(tools, "mesh-sidecar"), ["--help"], new Dictionary<string, string>());

        Assert.Equal(0, await help.WaitForExitAsync(bound.Token));
        Assert.Contains("--app-port <port>         Mesh:Sidecar:AppPort", help.Output, StringComparison.Ordinal);
        Assert.Contains("Admin", help.Output, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp folder left behind, nothing more.
        }
    }

#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    private async Task DotnetAsync(CancellationToken cancellationToken, params string[] args)
    {
        var environment = new Dictionary<string, string>
        {
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["DOTNET_NOLOGO"] = "1",
            ["NUGET_PACKAGES"] = Path.Combine(_root, "packages"), // the tool's restore lands here, not in the user's cache
        };
        await using var dotnet = ExampleProcess.Start("dotnet " + args[0], "dotnet", args, environment);
        var exit = await dotnet.WaitForExitAsync(cancellationToken);
        Assert.True(exit == 0, $"dotnet {string.Join(' ', args)} failed ({exit}):\n{dotnet.Output}");
    }
}
