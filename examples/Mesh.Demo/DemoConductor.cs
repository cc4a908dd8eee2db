using Mesh.Balancing;
using Mesh.Channels;
using Mesh.Demo.V1;
using Mesh.Discovery;
using Mesh.Resilience;
using Microsoft.Extensions.Hosting;

namespace Mesh.Demo;

/// <summary>
/// Plays the demo: starts and stops instances while watching the <c>greeter</c> service through Mesh discovery and
/// the caller's channel, printing the live endpoint set, how long each change took to arrive, and how the calls made
/// meanwhile fared.
/// </summary>
internal static class DemoConductor
{
    public static async Task<int> RunAsync(string[] args)
    {
        var registryDirectory = Path.Combine(Path.GetTempPath(), "mesh-demo-" + Environment.ProcessId);
        var builder = Host.CreateApplicationBuilder(args);
        // The demo narrates; Mesh's own warnings (e.g. "no healthy instance") are what it shows anyway.
        builder.Logging.SetMinimumLevel(LogLevel.Error);
        builder.Services.AddMesh(builder.Configuration, mesh =>
        {
            mesh.Registry = RegistryKind.Local;
            mesh.Local.Directory = registryDirectory;
            // SayHello has no side effects: marking it idempotent lets the policy retry it on another instance.
            var greeter = new ServiceOptions();
            greeter.Policy.Methods["mesh.demo.v1.Greeter/SayHello"] = new MethodPolicyOptions { Idempotent = true };
            // Round robin makes the spread easy to read in a demo that sends one call at a time; the default, P2C,
            // shines under concurrency, where in-flight counts and latencies differ between instances.
            greeter.Balancing.LoadBalancer = LoadBalancerKind.RoundRobin;
            mesh.Services[DemoSettings.ServiceName] = greeter;
        });
        using var host = builder.Build();
        await host.StartAsync();

        using var watch = host.Services.GetRequiredService<IServiceDiscovery>().Watch(ServiceQuery.For(DemoSettings.ServiceName));
        Console.WriteLine($"Mesh demo: watching '{DemoSettings.ServiceName}' in the Local registry at {registryDirectory}");
        Console.WriteLine($"and calling it through mesh:///{DemoSettings.ServiceName} every 20 ms (round robin, retries, ejection)");
        DemoStep.Print((await watch.WaitForChangeAsync(0)).Endpoints);
        var greeter = new Greeter.GreeterClient(host.Services.GetRequiredService<IMeshChannels>().CreateCallInvoker(DemoSettings.ServiceName));
        await using var calls = new CallLoop(greeter);
        calls.Start();

        var instances = new List<InstanceProcess>();
        try
        {
            var step = new DemoStep(watch, new ChannelView(host.Services.GetRequiredService<BalancingMonitor>()), calls);
            instances.Add(await step.RunAsync("start instance a", () => InstanceProcess.Start("a", registryDirectory), n => n == 1));
            instances.Add(await step.RunAsync("start instance b", () => InstanceProcess.Start("b", registryDirectory), n => n == 2));
            await step.ObserveAsync(DemoSettings.ObservePeriod);
            // No deregistration: callers route around b at once (retry, ejection) and discovery drops it when its lease runs out.
            await step.RunAsync($"crash b (kill -9: its {DemoSettings.Ttl.TotalSeconds:0} s lease must run out)", () => instances[1].Crash(), n => n == 1);
            instances.Add(await step.RunAsync("start instance c", () => InstanceProcess.Start("c", registryDirectory), n => n == 2));
            await step.ObserveAsync(DemoSettings.ObservePeriod);
            // Maintenance takes the instance out of discovery at once; the drain delay and deregistration follow.
            await step.RunAsync("stop a gracefully (maintenance, drain, deregister)", instances[0].RequestStop, n => n == 1);
            await instances[0].WaitForExitAsync();
            await step.RunAsync("stop c gracefully: no instance left, calls fail fast", instances[2].RequestStop, n => n == 0);
            await instances[2].WaitForExitAsync();
            await step.WaitForNoConnectionAsync();
            calls.Report();
            Console.WriteLine("Demo finished: every change was seen through discovery and by the channel.");
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
