using System.Globalization;
using System.Text.Json;

namespace Mesh.Testing.Consul.Internal;

/// <summary>
/// Reads request bodies the way Consul's Go decoder does: field names match case-insensitively and in snake_case
/// (<c>deregister_critical_service_after</c>), unknown fields are ignored, numbers may come as strings, and decode
/// failures answer 400 <c>Request decode failed: ...</c> with Go's wording.
/// </summary>
internal static class RequestJson
{
    public static JsonDocument Parse(byte[] body)
    {
        if (body.AsSpan().Trim(" \t\r\n"u8).IsEmpty)
        {
            throw Decode("EOF");
        }

        try
        {
            return JsonDocument.Parse(body);
        }
        catch (JsonException ex)
        {
            throw Decode(IsTruncated(body) ? "unexpected EOF" : $"invalid character '{CharAt(body, ex)}' looking for beginning of value");
        }
    }

    public static EmulatorHttpException Decode(string reason) => EmulatorHttpException.BadRequest("Request decode failed: " + reason);

    public static JsonElement? Find(JsonElement obj, string name)
    {
        if (obj.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        foreach (var property in obj.EnumerateObject())
        {
            if (string.Equals(property.Name.Replace("_", "", StringComparison.Ordinal), name, StringComparison.OrdinalIgnoreCase))
            {
                return property.Value.ValueKind == JsonValueKind.Null ? null : property.Value;
            }
        }

        return null;
    }

    public static string? String(JsonElement obj, string name) => Find(obj, name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.String } value => value.GetString(),
        { } value => throw Unmarshal(value, name, "string"),
    };

    public static int Int(JsonElement obj, string name) => Find(obj, name) switch
    {
        null => 0,
        { ValueKind: JsonValueKind.Number } value when value.TryGetInt32(out var number) => number,
        { ValueKind: JsonValueKind.String } value when int.TryParse(value.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) => number,
        { } value => throw Unmarshal(value, name, "int"),
    };

    public static bool Bool(JsonElement obj, string name) => Find(obj, name) switch
    {
        null => false,
        { ValueKind: JsonValueKind.True } => true,
        { ValueKind: JsonValueKind.False } => false,
        { } value => throw Unmarshal(value, name, "bool"),
    };

    /// <summary>A Go duration: a string such as <c>15s</c>, or a number of nanoseconds.</summary>
    public static TimeSpan? Duration(JsonElement obj, string name)
    {
        switch (Find(obj, name))
        {
            case null:
                return null;
            case { ValueKind: JsonValueKind.Number } value when value.TryGetInt64(out var nanos):
                return TimeSpan.FromTicks(nanos / 100);
            case { ValueKind: JsonValueKind.String } value:
                var text = value.GetString();
                if (string.IsNullOrEmpty(text))
                {
                    return null;
                }

                return GoDurationText.TryParse(text, out var duration) ? duration : throw Decode($"time: invalid duration \"{text}\"");
            case { } value:
                throw Unmarshal(value, name, "time.Duration");
        }
    }

    public static List<string> Strings(JsonElement obj, string name)
    {
        if (Find(obj, name) is not { } value)
        {
            return [];
        }

        if (value.ValueKind != JsonValueKind.Array || value.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String))
        {
            throw Unmarshal(value, name, "[]string");
        }

        return [.. value.EnumerateArray().Select(e => e.GetString()!)];
    }

    public static List<KeyValuePair<string, string>>? StringMap(JsonElement obj, string name)
    {
        if (Find(obj, name) is not { } value)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Object || value.EnumerateObject().Any(p => p.Value.ValueKind != JsonValueKind.String))
        {
            throw Unmarshal(value, name, "map[string]string");
        }

        return [.. value.EnumerateObject().Select(p => new KeyValuePair<string, string>(p.Name, p.Value.GetString()!))];
    }

    private static EmulatorHttpException Unmarshal(JsonElement value, string field, string type) =>
        Decode($"json: cannot unmarshal {GoKind(value.ValueKind)} into Go struct field .{field} of type {type}");

    private static string GoKind(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        _ => "bool",
    };

    /// <summary>Whether the body is a valid start of JSON that simply ends too early (Go: <c>unexpected EOF</c>).</summary>
    private static bool IsTruncated(byte[] body)
    {
        var reader = new Utf8JsonReader(body, isFinalBlock: false, state: default);
        try
        {
            while (reader.Read())
            {
                if (reader.CurrentDepth == 0 && reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray))
                {
                    return false; // a complete top-level value: the error lies after it
                }
            }

            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static char CharAt(byte[] body, JsonException ex)
    {
        long line = 0;
        var offset = 0;
        while (offset < body.Length && line < (ex.LineNumber ?? 0))
        {
            if (body[offset++] == (byte)'\n')
            {
                line++;
            }
        }

        offset += (int)(ex.BytePositionInLine ?? 0);
        return offset < body.Length ? (char)body[offset] : '?';
    }
}
