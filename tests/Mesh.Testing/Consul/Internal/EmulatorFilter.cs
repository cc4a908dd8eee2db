using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Mesh.Testing.Consul.Internal;

/// <summary>
/// The <c>filter</c> parameter: a subset of HashiCorp's go-bexpr evaluated over each answer element's JSON.
/// Supports <c>==</c>, <c>!=</c>, <c>in</c>, <c>not in</c>, <c>contains</c>, <c>not contains</c>, <c>matches</c>,
/// <c>not matches</c>, <c>is empty</c>, <c>is not empty</c>, <c>and</c>, <c>or</c>, <c>not</c> and parentheses, with
/// selectors such as <c>Service.Meta.version</c>, <c>Service.Meta["version"]</c> or <c>Checks.Status</c> (a field
/// of a list selects it from every element).
/// </summary>
internal sealed class EmulatorFilter
{
    private readonly Func<JsonElement, bool> _predicate;

    private EmulatorFilter(Func<JsonElement, bool> predicate) => _predicate = predicate;

    public static bool TryParse(string text, out EmulatorFilter? filter, out string error)
    {
        try
        {
            var parser = new FilterParser(FilterToken.Tokenize(text));
            filter = new EmulatorFilter(parser.Parse());
            error = "";
            return true;
        }
        catch (FormatException ex)
        {
            filter = null;
            error = ex.Message;
            return false;
        }
    }

    public bool Matches(JsonElement element) => _predicate(element);

    /// <summary>Keeps the elements of a JSON array (or the values of a JSON map) that match.</summary>
    public byte[] Apply(byte[] json, bool pretty)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        return EmulatorJson.Write(pretty, w =>
        {
            if (root.ValueKind == JsonValueKind.Object)
            {
                w.WriteStartObject();
                foreach (var property in root.EnumerateObject().Where(p => Matches(p.Value)))
                {
                    property.WriteTo(w);
                }

                w.WriteEndObject();
                return;
            }

            w.WriteStartArray();
            foreach (var element in root.EnumerateArray().Where(Matches))
            {
                element.WriteTo(w);
            }

            w.WriteEndArray();
        });
    }

    internal static List<JsonElement> Select(JsonElement root, IReadOnlyList<string> path)
    {
        List<JsonElement> current = [root];
        foreach (var segment in path)
        {
            List<JsonElement> next = [];
            foreach (var element in current)
            {
                var candidates = element.ValueKind == JsonValueKind.Array ? element.EnumerateArray().ToList() : [element];
                foreach (var candidate in candidates)
                {
                    if (Property(candidate, segment) is { } value)
                    {
                        next.Add(value);
                    }
                }
            }

            current = next;
        }

        return current;
    }

    internal static bool EqualsLiteral(JsonElement element, string literal) => element.ValueKind switch
    {
        JsonValueKind.String => element.GetString() == literal,
        JsonValueKind.Number => decimal.TryParse(literal, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && element.GetDecimal() == number,
        JsonValueKind.True => literal == "true",
        JsonValueKind.False => literal == "false",
        JsonValueKind.Null => literal.Length == 0,
        _ => false,
    };

    internal static bool IsEmpty(List<JsonElement> selected) =>
        selected.TrueForAll(e => e.ValueKind switch
        {
            JsonValueKind.Null => true,
            JsonValueKind.String => e.GetString()!.Length == 0,
            JsonValueKind.Array => e.GetArrayLength() == 0,
            JsonValueKind.Object => !e.EnumerateObject().Any(),
            _ => false,
        });

    internal static bool Contains(List<JsonElement> selected, string value) =>
        selected.Exists(e => e.ValueKind switch
        {
            JsonValueKind.Array => e.EnumerateArray().Any(item => EqualsLiteral(item, value)),
            JsonValueKind.Object => Property(e, value) is not null,
            JsonValueKind.String => e.GetString()!.Contains(value, StringComparison.Ordinal),
            _ => false,
        });

    internal static bool MatchesPattern(List<JsonElement> selected, Regex pattern) =>
        selected.Exists(e => e.ValueKind == JsonValueKind.String && pattern.IsMatch(e.GetString()!));

    private static JsonElement? Property(JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        if (element.TryGetProperty(name, out var exact))
        {
            return exact;
        }

        foreach (var property in element.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return property.Value;
            }
        }

        return null;
    }
}
