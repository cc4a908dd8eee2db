using Grpc.Core;
using Mesh.Channels;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Mesh.Sidecar.Tests.TestSupport;

/// <summary>A .NET app that takes the library (<c>AddMesh</c>) and calls <c>mesh:///orders</c>, as a sidecar's callers do.</summary>
internal sealed class MeshClient : IAsyncDisposable
{
    private readonly IHost _host;

    private MeshClient(IHost host) => _host = host;

    public static async Task<MeshClient> StartAsync(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddMesh(builder.Configuration);
        var host = builder.Build();
        await host.StartAsync();
        return new MeshClient(host);
    }

    /// <summary>A client over the registry's <c>mesh:///<paramref name="service"/></c> with the service's call policy.</summary>
    public CallInvoker Invoker(string service = "orders") => _host.Services.GetRequiredService<IMeshChannels>().CreateCallInvoker(service);

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}
