using Mesh.Shop.Catalog;
using Mesh.Shop.V1;

// appsettings.json next to the binary, wherever it is started from (dotnet run, a script, a container).
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.Services.AddGrpc();
builder.Services.AddMesh(builder.Configuration);              // registers as "catalog" (appsettings.json)
builder.Services.AddMeshTelemetry(builder.Configuration);     // OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set
// The Python Inventory has no Mesh package: its sidecar registered it, so to this client it is one more service.
builder.Services.AddGrpcClient<Inventory.InventoryClient>().AddMesh("inventory");

var app = builder.Build();
app.MapGrpcService<CatalogService>();
app.Run();
