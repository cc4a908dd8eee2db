namespace Mesh.Shop.Frontend;

/// <summary>The JSON answer of GET /products/{id}; <see cref="TraceId"/> is the trace to open in Jaeger.</summary>
internal sealed record ProductView(string Id, string Name, int Stock, string CatalogInstance, string InventoryInstance, string? TraceId);
