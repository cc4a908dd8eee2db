using System.Net;
using Mesh.Testing.Grpc.V1;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Mesh.Tests.TestSupport;

/// <summary>A real Kestrel gRPC app on 127.0.0.1 (h2c, free port) hosting one echo implementation, for multi-hop tests.</summary>
internal static class GrpcTestApp
{
    public static async Task<WebApplication> StartAsync<TService>(Action<WebApplicationBuilder> configure)
        where TService : EchoService.EchoServiceBase
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, o => o.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        configure(builder);
        var app = builder.Build();
        app.MapGrpcService<TService>();
        await app.StartAsync();
        return app;
    }

    public static int Port(this WebApplication app) => new Uri(app.Urls.First()).Port;
}
