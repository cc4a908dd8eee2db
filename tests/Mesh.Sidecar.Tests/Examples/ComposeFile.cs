using System.Diagnostics;
using System.Text.Json;

namespace Mesh.Sidecar.Tests.Examples;

/// <summary>examples/docker-compose.yml read by a real YAML parser (PyYAML, through the machine's python3) into JSON.</summary>
internal static class ComposeFile
{
    public static string FilePath => Path.Combine(ExamplePaths.Examples, "docker-compose.yml");

    /// <summary>The directory relative build contexts are resolved against (the compose file's own).</summary>
    public static string Directory => ExamplePaths.Examples;

    public static JsonElement Load()
    {
        var start = new ProcessStartInfo(ExamplePaths.PythonWithYaml!)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("import json, sys, yaml; json.dump(yaml.safe_load(open(sys.argv[1], encoding='utf-8')), sys.stdout)");
        start.ArgumentList.Add(FilePath);
        using var process = Process.Start(start)!;
        var json = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{FilePath} is not valid YAML:\n{error}");
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    /// <summary>Each service's environment as pairs, whether written as a map or as a list of KEY=value.</summary>
    public static IEnumerable<(string Key, string Value)> Environment(JsonElement service)
    {
        if (!service.TryGetProperty("environment", out var environment))
        {
            yield break;
        }

        if (environment.ValueKind == JsonValueKind.Object)
        {
            foreach (var variable in environment.EnumerateObject())
            {
                yield return (variable.Name, variable.Value.ToString());
            }
        }
        else
        {
            foreach (var item in environment.EnumerateArray())
            {
                var text = item.GetString()!;
                var split = text.IndexOf('=', StringComparison.Ordinal);
                yield return split < 0 ? (text, "") : (text[..split], text[(split + 1)..]);
            }
        }
    }

    /// <summary>The service's command as arguments (a list, or a string split on spaces as compose does for simple ones).</summary>
    public static IReadOnlyList<string> Command(JsonElement service) =>
        !service.TryGetProperty("command", out var command) ? []
        : command.ValueKind == JsonValueKind.Array ? [.. command.EnumerateArray().Select(a => a.GetString()!)]
        : command.GetString()!.Split(' ', StringSplitOptions.RemoveEmptyEntries);
}
