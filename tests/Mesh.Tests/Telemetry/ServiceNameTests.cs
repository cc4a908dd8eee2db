using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Mesh.Tests.Telemetry;

/// <summary>The <c>service.name</c> Jaeger lists an app under, with <c>AddMeshTelemetry</c>.</summary>
public sealed class ServiceNameTests
{
    private static object? ServiceName(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ApplicationName = "orders-client" });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddMeshTelemetry(builder.Configuration);
        using var host = builder.Build();
        return host.Services.GetRequiredService<TracerProvider>().GetResource().Attributes.Single(a => a.Key == "service.name").Value;
    }

    [Fact]
    public void ClientOnlyApp_NoServiceName_NamedAfterTheApplication() =>
        Assert.Equal("orders-client", ServiceName([]));

    [Fact]
    public void RegisteredService_NamedAfterItsRegistration() =>
        Assert.Equal("orders", ServiceName(new() { ["Mesh:Registration:ServiceName"] = "orders" }));

    [Theory]
    [InlineData("OTEL_SERVICE_NAME", "from-env")]
    [InlineData("OTEL_RESOURCE_ATTRIBUTES", "service.name=from-env,team=payments")]
    public void OpenTelemetrysOwnSetting_Wins(string key, string value) =>
        Assert.Equal("from-env", ServiceName(new() { [key] = value, ["Mesh:Registration:ServiceName"] = "orders" }));
}
