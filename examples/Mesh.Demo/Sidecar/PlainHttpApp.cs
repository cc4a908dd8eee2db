using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Hosting;

namespace Mesh.Demo;

/// <summary>
/// The sidecar act's app where there is no python3: the same contract as <c>hello_app.py</c> (a free 127.0.0.1 port
/// printed as <c>listening PORT</c>, one line per GET, exit when stdin closes) in plain ASP.NET Core. It adds no Mesh
/// service: like the Python app, it only sees HTTP, and the sidecar in front of it does the rest.
/// </summary>
internal static class PlainHttpApp
{
    public static async Task<int> RunAsync(string name, string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(System.Net.IPAddress.Loopback, 0, o => o.Protocols = HttpProtocols.Http1));
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        app.MapGet("/", () => $"hello from {name} (plain ASP.NET Core app, pid {Environment.ProcessId})\n");

        await app.StartAsync();
        Console.WriteLine($"listening {new Uri(app.Urls.First()).Port}");
        // Stop when the demo closes stdin (or dies); Ctrl+C stops the host by itself.
        await Task.WhenAny(Console.In.ReadToEndAsync(), app.WaitForShutdownAsync());
        await app.StopAsync();
        return 0;
    }
}
