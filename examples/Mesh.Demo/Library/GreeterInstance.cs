using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Hosting;

namespace Mesh.Demo;

/// <summary>A sample service instance: a gRPC app on a free loopback port that registers itself as <c>greeter</c>.</summary>
internal static class GreeterInstance
{
    public static async Task<int> RunAsync(string name, string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        // gRPC without TLS needs an HTTP/2-only endpoint (h2c with prior knowledge).
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(System.Net.IPAddress.Loopback, 0, o => o.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(new InstanceName(name));
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddMesh(builder.Configuration, mesh =>
        {
            mesh.Registration.ServiceName = DemoSettings.ServiceName;
            mesh.Registration.Tags.Add(name);
            mesh.Registration.Ttl = DemoSettings.Ttl;
            mesh.Registration.DrainDelay = DemoSettings.DrainDelay;
        });

        var app = builder.Build();
        app.MapGrpcService<GreeterService>();

        // The conductor closes our stdin to ask for a graceful stop (portable, unlike signals).
        _ = Task.Run(async () =>
        {
            await Console.In.ReadToEndAsync();
            app.Services.GetRequiredService<IHostApplicationLifetime>().StopApplication();
        });

        await app.RunAsync();
        return 0;
    }
}
