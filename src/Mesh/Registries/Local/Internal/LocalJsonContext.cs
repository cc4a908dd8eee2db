using System.Text.Json.Serialization;

namespace Mesh.Registries.Local.Internal;

/// <summary>Source-generated JSON for the Local registry's files.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(LocalEntry))]
internal sealed partial class LocalJsonContext : JsonSerializerContext;
