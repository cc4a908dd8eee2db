using System.Text.Json;
using System.Text.RegularExpressions;

namespace Mesh.Sidecar.Tests.Examples;

/// <summary>
/// No Docker engine runs here, so what can be checked without one is: the compose file parses, every build context,
/// Dockerfile and path a Dockerfile copies exists, every Mesh key it sets is read by Mesh or the sidecar, the names and
/// ports its services point at exist, and the images run as a non-root user.
/// </summary>
public sealed partial class ComposeFileTests
{
    private static readonly string[] Expected = ["consul", "jaeger", "inventory", "inventory-sidecar", "catalog", "frontend"];

    [ComposeFact]
    public void Services_AreTheShop_ConsulAndJaeger_WithTwoCatalogReplicas()
    {
        var services = ComposeFile.Load().GetProperty("services");

        Assert.Equal(Expected.Order(StringComparer.Ordinal), services.EnumerateObject().Select(s => s.Name).Order(StringComparer.Ordinal));
        Assert.Equal(2, services.GetProperty("catalog").GetProperty("deploy").GetProperty("replicas").GetInt32());
        Assert.StartsWith("hashicorp/consul:", services.GetProperty("consul").GetProperty("image").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("jaegertracing/all-in-one:", services.GetProperty("jaeger").GetProperty("image").GetString(), StringComparison.Ordinal);
        Assert.Contains("4317:4317", services.GetProperty("jaeger").GetProperty("ports").EnumerateArray().Select(p => p.GetString()));
        Assert.Contains("16686:16686", services.GetProperty("jaeger").GetProperty("ports").EnumerateArray().Select(p => p.GetString()));
        Assert.All(services.EnumerateObject(), s => Assert.True(s.Value.TryGetProperty("healthcheck", out _), $"{s.Name} has no healthcheck"));
    }

    [ComposeFact]
    public void Builds_ContextsDockerfilesAndCopiedPathsExist_PublishedProjectsAreInTheSolution_FinalStageIsNotRoot()
    {
        var solution = File.ReadAllText(Path.Combine(ExamplePaths.RepositoryRoot!, "Mesh.sln")).Replace('\\', '/');
        foreach (var service in ComposeFile.Load().GetProperty("services").EnumerateObject().Where(s => s.Value.TryGetProperty("build", out _)))
        {
            var build = service.Value.GetProperty("build");
            var context = Path.GetFullPath(Path.Combine(ComposeFile.Directory, build.GetProperty("context").GetString()!));
            var dockerfile = Path.Combine(context, build.GetProperty("dockerfile").GetString()!);
            Assert.True(File.Exists(dockerfile), $"{service.Name}: {dockerfile} is missing");

            var lines = File.ReadAllLines(dockerfile);
            foreach (var copy in lines.Where(l => l.StartsWith("COPY ", StringComparison.Ordinal) && !l.Contains("--from=", StringComparison.Ordinal)))
            {
                var parts = copy.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                Assert.All(parts[1..^1], source => Assert.True(Path.Exists(Path.Combine(context, source)), $"{service.Name}: {dockerfile} copies {source}, which is not in the build context"));
            }

            foreach (Match publish in PublishCommand().Matches(string.Join('\n', lines)))
            {
                Assert.True(File.Exists(Path.Combine(context, publish.Groups[1].Value)), $"{service.Name}: publishes {publish.Groups[1].Value}, which does not exist");
                Assert.Contains(publish.Groups[1].Value, solution, StringComparison.Ordinal); // built (and so compiled) by every test run
            }

            var finalStage = lines.SkipWhile((_, i) => lines.Skip(i + 1).Any(l => l.StartsWith("FROM ", StringComparison.Ordinal))).ToList();
            Assert.True(finalStage.Any(l => l.StartsWith("USER ", StringComparison.Ordinal) && !l.Contains("root", StringComparison.Ordinal)), $"{service.Name}: the final stage of {dockerfile} runs as root");
        }
    }

    [ComposeFact]
    public void MeshSettings_InEnvironmentAndCommands_AreRealKeys()
    {
        var keys = new List<string>();
        foreach (var service in ComposeFile.Load().GetProperty("services").EnumerateObject())
        {
            keys.AddRange(ComposeFile.Environment(service.Value).Select(v => v.Key).Where(k => k.StartsWith("Mesh__", StringComparison.Ordinal)).Select(k => k.Replace("__", ":", StringComparison.Ordinal)));
            keys.AddRange(ComposeFile.Command(service.Value).Where(a => a.StartsWith("--Mesh:", StringComparison.Ordinal)).Select(a => a[2..].Split('=')[0]));
        }

        Assert.NotEmpty(keys);
        var unknown = MeshKeyCheck.Unknown(keys).ToList();
        Assert.True(unknown.Count == 0, string.Join('\n', unknown));
    }

    [ComposeFact]
    public void References_DependenciesNetworkAndPorts_PointAtWhatExists()
    {
        var services = ComposeFile.Load().GetProperty("services");
        var names = services.EnumerateObject().Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var service in services.EnumerateObject())
        {
            if (service.Value.TryGetProperty("depends_on", out var dependsOn))
            {
                Assert.All(dependsOn.EnumerateObject(), d => Assert.Contains(d.Name, names));
            }

            if (service.Value.TryGetProperty("network_mode", out var network) && network.GetString()!.StartsWith("service:", StringComparison.Ordinal))
            {
                Assert.Contains(network.GetString()!["service:".Length..], names);
            }

            foreach (var (key, value) in ComposeFile.Environment(service.Value).Where(v => v.Value.StartsWith("http://", StringComparison.Ordinal)))
            {
                var uri = new Uri(value);
                Assert.True(uri.Host is "0.0.0.0" or "127.0.0.1" || names.Contains(uri.Host), $"{service.Name}: {key} names host {uri.Host}, which is no service");
            }
        }

        // The sidecar shares the app's network: its --app-port is the port the app listens on.
        var command = ComposeFile.Command(services.GetProperty("inventory-sidecar"));
        var appPort = command[command.ToList().IndexOf("--app-port") + 1];
        Assert.Equal(appPort, ComposeFile.Environment(services.GetProperty("inventory")).Single(v => v.Key == "INVENTORY_PORT").Value);
        Assert.Equal("service:inventory", services.GetProperty("inventory-sidecar").GetProperty("network_mode").GetString());
        // Each ASP.NET Core service listens on the port its health check probes.
        foreach (var name in new[] { "catalog", "frontend" })
        {
            var port = ComposeFile.Environment(services.GetProperty(name)).Single(v => v.Key == "ASPNETCORE_HTTP_PORTS").Value;
            Assert.Contains($"/dev/tcp/127.0.0.1/{port}", string.Join(' ', services.GetProperty(name).GetProperty("healthcheck").GetProperty("test").EnumerateArray().Select(t => t.GetString())), StringComparison.Ordinal);
        }
    }

    [GeneratedRegex(@"dotnet publish (\S+\.csproj)")]
    private static partial Regex PublishCommand();
}
