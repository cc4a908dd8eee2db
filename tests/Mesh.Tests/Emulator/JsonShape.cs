using System.Text.Json;

namespace Mesh.Tests.Emulator;

/// <summary>
/// Compares two JSON documents by structure: the same property names in the same order at every level, the same
/// value kinds (true and false count as one kind) and arrays of the same length; values may differ.
/// </summary>
internal static class JsonShape
{
    public static void AssertSame(string expectedJson, string actualJson)
    {
        using var expected = JsonDocument.Parse(expectedJson);
        using var actual = JsonDocument.Parse(actualJson);
        var differences = new List<string>();
        Compare(expected.RootElement, actual.RootElement, "$", differences);
        Assert.True(differences.Count == 0, "The emulator's JSON differs from the recorded shape:\n" + string.Join("\n", differences) + "\n\nEmulator answered:\n" + actualJson);
    }

    private static void Compare(JsonElement expected, JsonElement actual, string path, List<string> differences)
    {
        if (Kind(expected) != Kind(actual))
        {
            differences.Add($"{path}: expected {Kind(expected)}, got {Kind(actual)}");
            return;
        }

        if (expected.ValueKind == JsonValueKind.Object)
        {
            var expectedNames = expected.EnumerateObject().Select(p => p.Name).ToList();
            var actualNames = actual.EnumerateObject().Select(p => p.Name).ToList();
            if (!expectedNames.SequenceEqual(actualNames, StringComparer.Ordinal))
            {
                differences.Add($"{path}: expected properties [{string.Join(", ", expectedNames)}], got [{string.Join(", ", actualNames)}]");
                return;
            }

            foreach (var name in expectedNames)
            {
                Compare(expected.GetProperty(name), actual.GetProperty(name), $"{path}.{name}", differences);
            }
        }
        else if (expected.ValueKind == JsonValueKind.Array)
        {
            if (expected.GetArrayLength() != actual.GetArrayLength())
            {
                differences.Add($"{path}: expected {expected.GetArrayLength()} elements, got {actual.GetArrayLength()}");
                return;
            }

            for (var i = 0; i < expected.GetArrayLength(); i++)
            {
                Compare(expected[i], actual[i], $"{path}[{i}]", differences);
            }
        }
    }

    private static string Kind(JsonElement element) =>
        element.ValueKind is JsonValueKind.True or JsonValueKind.False ? "Boolean" : element.ValueKind.ToString();
}
