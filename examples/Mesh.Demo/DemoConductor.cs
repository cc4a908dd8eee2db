using Mesh.Balancing;
using Mesh.Discovery;
using Mesh.Resilience;
using Microsoft.Extensions.Hosting;

namespace Mesh.Demo;

/// <summary>
/// Plays the demo: act 1, the library (<see cref="LibraryAct"/>), then act 2, a service that cannot take the
/// package behind the sidecar (<see cref="SidecarAct"/>). Ctrl+C (or SIGTERM) ends it early, every child stopped.
/// </summary>
internal static class DemoConductor
{
    /// <summary>The exit code after Ctrl+C, as shells report a SIGINT.</summary>
    private const int Interrupted = 130;

    public static async Task<int> RunAsync(string[] args)
    {
        if (DemoOptions.Parse(args, out var error) is not { } options)
        {
            await Console.Error.WriteLineAsync($"Mesh.Demo: {error}");
            return 2;
        }

        // Chosen first: a missing python3 asked for by name should fail before anything starts.
        var app = options.SidecarAct ? HelloApp.Choose(options.App) : null;
        if (options.SidecarAct && app is null)
        {
            await Console.Error.WriteLineAsync("Mesh.Demo: --app python needs python3 on PATH; --app auto falls back to a plain ASP.NET Core app.");
            return 2;
        }

        var registryDirectory = Path.Combine(Path.GetTempPath(), "mesh-demo-" + Environment.ProcessId);
        var builder = Host.CreateApplicationBuilder(options.HostArgs);
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
        // The host's console lifetime turns Ctrl+C and SIGTERM into this token, and keeps the process alive to clean up.
        var stopping = host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        try
        {
            if (options.LibraryAct)
            {
                await LibraryAct.RunAsync(host.Services, registryDirectory, stopping);
            }

            if (app is not null)
            {
                await SidecarAct.RunAsync(host.Services, registryDirectory, app, stopping);
            }

            Console.WriteLine("Demo finished: every change was seen through discovery and by the callers, and every child process has exited.");
            return 0;
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            Console.WriteLine("Demo interrupted: every child process has been stopped.");
            return Interrupted;
        }
        catch (Exception ex) when (ex is TimeoutException or InvalidOperationException or HttpRequestException)
        {
            Console.Error.WriteLine($"Demo failed: {ex.Message}");
            return 1;
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
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
