using Mesh.Shop.Frontend;
using Mesh.Shop.V1;

// appsettings.json next to the binary, wherever it is started from (dotnet run, a script, a container).
var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
// A caller only: this line brings discovery, balancing and the call policy, from the "Mesh" section (no registration).
builder.Services.AddGrpcClient<Catalog.CatalogClient>().AddMesh("catalog");
builder.Services.AddMeshTelemetry(builder.Configuration);   // service name: OTEL_SERVICE_NAME (appsettings.json)
builder.Services.AddHealthChecks();

var app = builder.Build();
app.MapHealthChecks("/healthz");
app.MapGet("/products/{id}", ProductPage.GetAsync);
app.Run();
