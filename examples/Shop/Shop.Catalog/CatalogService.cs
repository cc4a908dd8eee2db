using Grpc.Core;
using Mesh.Shop.V1;

namespace Mesh.Shop.Catalog;

/// <summary>Names a product and asks the Inventory (Python, behind its sidecar) how many are in stock.</summary>
internal sealed class CatalogService(Inventory.InventoryClient inventory) : Mesh.Shop.V1.Catalog.CatalogBase
{
    private static readonly Dictionary<string, string> Names = new(StringComparer.Ordinal)
    {
        ["apple"] = "Apple, Braeburn",
        ["pear"] = "Pear, Conference",
        ["plum"] = "Plum, Victoria",
    };

    private static readonly string Instance = $"catalog {Environment.MachineName} pid {Environment.ProcessId}";

    public override async Task<Product> GetProduct(ProductRequest request, ServerCallContext context)
    {
        if (!Names.TryGetValue(request.Id, out var name))
        {
            throw new RpcException(new Status(StatusCode.NotFound, $"no product '{request.Id}'"));
        }

        // The incoming call's deadline and trace go along: Mesh's client inherits them.
        var stock = await inventory.GetStockAsync(new StockRequest { ProductId = request.Id }, cancellationToken: context.CancellationToken);
        return new Product
        {
            Id = request.Id,
            Name = name,
            Stock = stock.Quantity,
            CatalogInstance = Instance,
            InventoryInstance = stock.Instance,
        };
    }
}
