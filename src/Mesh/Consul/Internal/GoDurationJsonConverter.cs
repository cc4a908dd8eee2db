using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mesh.Consul.Internal;

/// <summary>Reads and writes <see cref="TimeSpan"/> as a Go duration string; an empty string reads as <see langword="null"/>.</summary>
internal sealed class GoDurationJsonConverter : JsonConverter<TimeSpan?>
{
    public override TimeSpan? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        var text = reader.GetString();
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        return GoDuration.TryParse(text, out var value) ? value : throw new JsonException("Not a Go duration.");
    }

    public override void Write(Utf8JsonWriter writer, TimeSpan? value, JsonSerializerOptions options)
    {
        if (value is { } duration)
        {
            writer.WriteStringValue(GoDuration.Format(duration));
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}
