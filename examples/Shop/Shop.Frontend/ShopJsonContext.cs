using System.Text.Json.Serialization;

namespace Mesh.Shop.Frontend;

/// <summary>Source-generated JSON for the slim builder (no reflection-based serializer).</summary>
[JsonSerializable(typeof(ProductView))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
internal sealed partial class ShopJsonContext : JsonSerializerContext;
