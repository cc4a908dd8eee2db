using System.Runtime.InteropServices;
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
/// for docs/reliability.md, and fails (exit 1) when an expectation did not hold.
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
            var client = new EchoService.EchoServiceClient(channels.CreateCallInvoker(ServiceName));
            using var watch = host.Services.GetRequiredService<IServiceDiscovery>().Watch(new ServiceQuery(ServiceName));
            await using var driver = new OpenLoopDriver(client, options.Rate, options.Deadline);
            var context = new FaultContext(consul, proxy, instances, driver, watch, host.Services.GetRequiredService<BalancingMonitor>(), attempts, options);
            driver.Start();
            if (await context.WaitForNormalAsync(TimeSpan.FromSeconds(60)) is null)
            {
                Console.Error.WriteLine("faults: the system never reached normal before the first scenario");
                return 1;
            }

            var rows = new List<ScenarioRow>();
            foreach (var scenario in Scenarios.Where(s => options.Only.Count == 0 || options.Only.Contains(s.Name)))
            {
                Console.WriteLine($"- {scenario.Name}: {scenario.Expectation}");
                var row = await scenario.RunAsync(context);
                Console.WriteLine($"  {row}");
                rows.Add(row);
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
