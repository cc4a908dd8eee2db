using System.Diagnostics;
using Grpc.Core;
using Mesh.Shop.V1;

namespace Mesh.Shop.Frontend;

/// <summary>GET /products/{id}: one call to the Catalog, which calls the Inventory; the answer names the trace.</summary>
internal static class ProductPage
{
    public static async Task<IResult> GetAsync(string id, Catalog.CatalogClient catalog, CancellationToken cancellationToken)
    {
        var trace = Activity.Current?.TraceId.ToHexString();
        try
        {
            var product = await catalog.GetProductAsync(new ProductRequest { Id = id }, cancellationToken: cancellationToken);
            return Results.Json(new ProductView(product.Id, product.Name, product.Stock, product.CatalogInstance, product.InventoryInstance, trace),
                ShopJsonContext.Default.ProductView);
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.NotFound)
        {
            return Results.NotFound(ex.Status.Detail);
        }
        catch (RpcException ex) when (ex.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded)
        {
            // "no healthy instances of 'catalog'", "circuit open for 'catalog'"...: the mesh says why.
            return Results.Problem(ex.Status.Detail, statusCode: StatusCodes.Status503ServiceUnavailable);
        }
        catch (RpcException ex)
        {
            return Results.Problem($"{ex.StatusCode}: {ex.Status.Detail}", statusCode: StatusCodes.Status502BadGateway);
        }
    }
}
