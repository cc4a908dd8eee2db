using System.Diagnostics;
using System.Globalization;
using Mesh.Discovery;
using Mesh.Discovery.Internal;
using Mesh.Registration;
using Microsoft.Extensions.Logging.Abstractions;

namespace Mesh.Benchmarks.Propagation;

/// <summary>
/// Measures discovery propagation: the time from a registration change (register or deregister returning) to the
/// moment a watcher's <see cref="IServiceDiscovery"/> snapshot shows it, over many alternating changes.
/// Not a timed test: it reports figures for docs/benchmarks.md.
/// </summary>
internal static class PropagationHarness
{
    private const string Service = "propagation";

    /// <summary>The spread of the random pause before each change: one default poll interval.</summary>
    private static readonly TimeSpan PhaseSpread = TimeSpan.FromMilliseconds(500);

    public static async Task<int> RunAsync(string[] args)
    {
        var changes = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 200;
        Console.WriteLine($"Discovery propagation, change -> snapshot, {changes} changes per registry ({Environment.ProcessorCount} cores, {Environment.OSVersion})");
        foreach (var create in Targets())
        {
            await using var target = await create();
            var stats = await MeasureAsync(target, changes);
            Console.WriteLine($"{target.Name,-55} {stats}");
        }

        return 0;
    }

    private static IEnumerable<Func<Task<IPropagationTarget>>> Targets()
    {
        
        yield return () => Task.FromResult<IPropagationTarget>(new LocalPropagationTarget(useFileNotifications: true));
        yield return () => Task.FromResult<IPropagationTarget>(new LocalPropagationTarget(useFileNotifications: false));
        yield return async () => await ConsulEmulatorPropagationTarget.StartAsync();
    }

    private static async Task<LatencyStats> MeasureAsync(IPropagationTarget target, int changes)
    {
        var discovery = new ServiceDiscovery(target.Watcher, TimeProvider.System, NullLogger<ServiceDiscovery>.Instance);
        using var watch = discovery.Watch(ServiceQuery.For(Service));
        // A steady instance, so each change flips the set between one and two endpoints.
        await target.Registrar.RegisterAsync(Registration("steady", 7000), default);
        await WaitForCountAsync(watch, 1);

        var toggled = Registration("toggled", 7001);
        var samples = new List<TimeSpan>(changes);
        for (var i = 0; i < changes; i++)
        {
            var registering = i % 2 == 0;
            // Changes land at random moments, as real ones do, not right after the watcher's last look.
            await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * PhaseSpread.TotalMilliseconds));
            var started = Stopwatch.GetTimestamp();
            if (registering)
            {
                await target.Registrar.RegisterAsync(toggled, default);
            }
            else
            {
                await target.Registrar.DeregisterAsync(toggled, default);
            }

            await WaitForCountAsync(watch, registering ? 2 : 1);
            samples.Add(Stopwatch.GetElapsedTime(started));
        }

        await target.Registrar.DeregisterAsync(Registration("steady", 7000), default);
        return LatencyStats.From(samples);
    }

    private static ServiceRegistration Registration(string id, int port) =>
        // Nothing heartbeats here, so the lease must outlast the run.
        new(id, Service, "127.0.0.1", port) { Check = HealthCheckDefinition.Ttl(TimeSpan.FromHours(1)) };

    private static async Task WaitForCountAsync(IServiceWatch watch, int count)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var snapshot = watch.Current;
        while (!snapshot.HasResolved || snapshot.Endpoints.Length != count)
        {
            snapshot = await watch.WaitForChangeAsync(snapshot.Version, timeout.Token);
        }
    }
}
