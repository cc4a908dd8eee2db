using System.Runtime.InteropServices;
using Grpc.Net.Client;
using Mesh.Balancing;
using Mesh.Channels;
using Mesh.Discovery;
using Mesh.Testing.Consul;
using Mesh.Testing.Grpc.V1;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Mesh.Benchmarks.Faults;

/// <summary>
/// Issue 11's fault harness: open-loop unary Echo load (idempotent) through a Mesh channel (<c>mesh:///echo</c>, the
/// registry being Consul) against three instance processes registered in a Consul emulator; each scenario injects its
/// fault, measures, heals, checks the system is back to normal and prints a row. Not a timed test: it reports figures
/// for docs/reliability.md, and fails (exit 1) when an expectation did not hold. <c>--door sidecar</c> sends the same
/// load through a caller's sidecar instead (<see cref="SidecarDoor"/>); the default runs both doors, one after the other.
/// </summary>
internal static class FaultHarness
{
    public const string ServiceName = "echo";

    /// <summary>The connect timeout the client runs with (<c>Mesh:Services:echo:Balancing:ConnectTimeout</c>'s default).</summary>
    public static readonly TimeSpan ConnectTimeout = BalancingDefaults.ConnectTimeout;

    private static readonly FaultScenario[] Scenarios =
    [
        new KillScenario(), new GracefulStopScenario(), new RegistryDownScenario(), new RegistryRestartScenario(),
        new BlackHoleScenario(), new SlowScenario(), new OverloadScenario(), new AllDownScenario(), new ConnectTimeoutScenario(),
    ];

    public static async Task<int> RunAsync(string[] args)
    {
        if (!FaultOptions.TryParse(args, out var options, out var error))
        {
            Console.Error.WriteLine(error);
            Console.Error.WriteLine(FaultOptions.Usage);
            return 2;
        }

        var unknown = options.Only.Where(n => !Scenarios.Any(s => s.Name == n)).ToList();
        if (unknown.Count > 0)
        {
            Console.Error.WriteLine($"faults: --only: no scenario named {string.Join(", ", unknown)} (scenarios: {string.Join(", ", Scenarios.Select(s => s.Name))})");
            return 2;
        }

        Console.WriteLine($"Fault harness: {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}; " +
            $"{options.Rate} calls/s open loop, deadline {options.Deadline.TotalMilliseconds:0} ms, 3 instance processes, Consul emulator");
        await using var consul = await ConsulEmulator.StartNewAsync();
        await using var proxy = new RegistryProxy(consul.Address);
        var instances = await Task.WhenAll(Enumerable.Range(0, 3).Select(i => InstanceProcess.StartAsync($"echo-{i}", consul.Address.ToString())));
        try
        {
            var attempts = new AttemptCounter();
            using var host = await StartClientAsync(proxy.Address, attempts);
            var channels = host.Services.GetRequiredService<IMeshChannels>();
            using var watch = host.Services.GetRequiredService<IServiceDiscovery>().Watch(new ServiceQuery(ServiceName));
            var monitor = host.Services.GetRequiredService<BalancingMonitor>();
            var rows = new List<ScenarioRow>();
            foreach (var door in options.Doors)
            {
                // One door at a time: the library client's channel, or the caller's sidecar (the library host stays
                // up in the sidecar door for its discovery watch, with no calls of its own).
                await using var sidecar = door == "sidecar" ? await SidecarDoor.StartAsync(options.Sidecar, proxy.Address) : null;
                using var grpc = sidecar is null ? null : GrpcChannel.ForAddress($"http://127.0.0.1:{sidecar.UpstreamPort}");
                var client = new EchoService.EchoServiceClient(grpc is null ? channels.CreateCallInvoker(ServiceName) : grpc.CreateCallInvoker());
                await using var driver = new OpenLoopDriver(client, options.Rate, options.Deadline);
                var context = new FaultContext(consul, proxy, instances, driver, watch, monitor, attempts, options, sidecar);
                driver.Start();
                if (await context.WaitForNormalAsync(TimeSpan.FromSeconds(60)) is null)
                {
                    Console.Error.WriteLine($"faults: the system never reached normal before the first scenario ({door} door)");
                    return 1;
                }

                foreach (var scenario in Scenarios.Where(s => (options.Only.Count == 0 || options.Only.Contains(s.Name)) && (door == "library" || s.ThroughSidecar)))
                {
                    Console.WriteLine($"- {scenario.Name} ({door}): {scenario.Expectation}");
                    var row = await scenario.RunAsync(context);
                    Console.WriteLine($"  {row}");
                    rows.Add(row);
                }
            }

            Console.WriteLine();
            Console.WriteLine(ScenarioRow.Header);
            Console.WriteLine("|---|---|---|---|---|---|---|---|");
            rows.ForEach(Console.WriteLine);
            Console.WriteLine($"faults: {rows.Count} scenarios, {rows.Count(r => r.Passed)} passed, {rows.Sum(r => r.Lost)} calls lost");
            await host.StopAsync();
            return rows.All(r => r.Passed) ? 0 : 1;
        }
        finally
        {
            foreach (var instance in instances)
            {
                await instance.DisposeAsync();
            }
        }
    }

    private static async Task<IHost> StartClientAsync(Uri registry, AttemptCounter attempts)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Mesh:Registry"] = "Consul",
            ["Mesh:Consul:Address"] = registry.ToString(),
            [$"Mesh:Services:{ServiceName}:Policy:Methods:mesh.testing.v1.EchoService/Echo:Idempotent"] = "true",
        });
        builder.Services.AddSingleton<Mesh.Resilience.ICallPolicyObserver>(attempts);
        builder.Services.AddMesh(builder.Configuration);
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }
}
