using Mesh.Discovery;
using Microsoft.Extensions.Hosting;

namespace Mesh.Demo;

/// <summary>
/// Plays the demo: starts and stops instances while watching the <c>greeter</c> service through Mesh discovery,
/// printing the live endpoint set and how long each change took to arrive.
/// </summary>
internal static class DemoConductor
{
    public static async Task<int> RunAsync(string[] args)
    {
        var registryDirectory = Path.Combine(Path.GetTempPath(), "mesh-demo-" + Environment.ProcessId);
        var builder = Host.CreateApplicationBuilder(args);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddMesh(builder.Configuration, mesh =>
        {
            mesh.Registry = RegistryKind.Local;
            mesh.Local.Directory = registryDirectory;
        });
        using var host = builder.Build();
        await host.StartAsync();

        using var watch = host.Services.GetRequiredService<IServiceDiscovery>().Watch(ServiceQuery.For(DemoSettings.ServiceName));
        Console.WriteLine($"Mesh demo: watching '{DemoSettings.ServiceName}' in the Local registry at {registryDirectory}");
        DemoStep.Print((await watch.WaitForChangeAsync(0)).Endpoints);

        var instances = new List<InstanceProcess>();
        try
        {
            var step = new DemoStep(watch);
            instances.Add(await step.RunAsync("start instance a", () => InstanceProcess.Start("a", registryDirectory), n => n == 1));
            instances.Add(await step.RunAsync("start instance b", () => InstanceProcess.Start("b", registryDirectory), n => n == 2));
            // Maintenance takes the instance out of discovery at once; the drain delay and deregistration follow.
            await step.RunAsync("stop a gracefully (maintenance, drain, deregister)", instances[0].RequestStop, n => n == 1);
            await instances[0].WaitForExitAsync();
            await step.RunAsync($"crash b (kill -9: its {DemoSettings.Ttl.TotalSeconds:0} s lease must run out)", () => instances[1].Crash(), n => n == 0);
            instances.Add(await step.RunAsync("start instance c", () => InstanceProcess.Start("c", registryDirectory), n => n == 1));
            await step.RunAsync("stop c gracefully", instances[2].RequestStop, n => n == 0);
            await instances[2].WaitForExitAsync();
            Console.WriteLine("Demo finished: every change was seen through discovery.");
            return 0;
        }
        catch (TimeoutException ex)
        {
            Console.Error.WriteLine($"Demo failed: {ex.Message}");
            return 1;
        }
        finally
        {
            instances.ForEach(i => i.Dispose());
            await host.StopAsync();
            TryDelete(registryDirectory);
        }
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
