using Microsoft.Extensions.Hosting;

namespace Mesh.Demo;

/// <summary>A sample service instance: a Kestrel app on a free loopback port that registers itself as <c>greeter</c>.</summary>
internal static class GreeterInstance
{
    public static async Task<int> RunAsync(string name, string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddMesh(builder.Configuration, mesh =>
        {
            mesh.Registration.ServiceName = DemoSettings.ServiceName;
            mesh.Registration.Tags.Add(name);
            mesh.Registration.Ttl = DemoSettings.Ttl;
            mesh.Registration.DrainDelay = DemoSettings.DrainDelay;
        });

        var app = builder.Build();
        app.MapGet("/", () => $"hello from {name}");

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
