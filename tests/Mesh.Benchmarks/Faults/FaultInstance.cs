using System.Globalization;
using System.Net;
using Grpc.Core;
using Mesh.Testing.Grpc.V1;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Mesh.Benchmarks.Faults;

/// <summary>
/// One instance of the fault harness, a process of its own (<c>fault-instance --id ID --port P --consul URL</c>): an
/// Echo gRPC server on 127.0.0.1 registered in Consul by Mesh's own registration (TTL heartbeat, maintenance and drain
/// on SIGTERM), so kill -9, SIGTERM and SIGSTOP hit what a real service runs. Faults arrive as lines on stdin
/// (<c>delay MS</c>, <c>fail CODE PUSHBACK_MS</c>, <c>heal</c>); <c>stats</c> answers <c>stats CALLS</c> on stdout.
/// </summary>
internal static class FaultInstance
{
    public static async Task<int> RunAsync(string[] args)
    {
        var id = Argument(args, "--id");
        var port = int.Parse(Argument(args, "--port"), CultureInfo.InvariantCulture);
        var state = new FaultInstanceState(id);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Mesh:Registry"] = "Consul",
            ["Mesh:Consul:Address"] = Argument(args, "--consul"),
            ["Mesh:Registration:ServiceName"] = FaultHarness.ServiceName,
            ["Mesh:Registration:ServiceId"] = id,
            ["Mesh:Registration:Address"] = "127.0.0.1",
        });
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(state);
        builder.Services.AddMesh(builder.Configuration);
        var app = builder.Build();
        app.MapGrpcService<FaultEchoService>();
        await app.StartAsync();
        Console.WriteLine($"ready {port}");
        _ = Task.Run(() => ReadCommands(state));
        await app.WaitForShutdownAsync();
        return 0;
    }

    private static void ReadCommands(FaultInstanceState state)
    {
        while (Console.ReadLine() is { } line)
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            switch (parts)
            {
                case ["delay", var ms]:
                    state.DelayMs = int.Parse(ms, CultureInfo.InvariantCulture);
                    break;
                case ["fail", var code, var pushback]:
                    state.SetFailure(Enum.Parse<StatusCode>(code), int.Parse(pushback, CultureInfo.InvariantCulture));
                    break;
                case ["heal"]:
                    state.Heal();
                    break;
                case ["stats"]:
                    Console.WriteLine($"stats {state.Calls}");
                    break;
            }
        }
    }

    private static string Argument(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : throw new ArgumentException($"fault-instance: {name} is required");
    }
}
