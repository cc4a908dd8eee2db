using System.Diagnostics;
using Mesh.Balancing;
using Mesh.Discovery;
using Mesh.Testing.Consul;

namespace Mesh.Benchmarks.Faults;

/// <summary>What every scenario works with: the registry, the instances, the load and what the client sees.</summary>
internal sealed class FaultContext(ConsulEmulator consul, RegistryProxy proxy, IReadOnlyList<InstanceProcess> instances,
    OpenLoopDriver driver, IServiceWatch watch, BalancingMonitor monitor, AttemptCounter attempts, FaultOptions options,
    SidecarDoor? sidecar = null)
{
    /// <summary>Gets the door the load goes through: <c>library</c> or <c>sidecar</c>.</summary>
    public string Door => Sidecar is null ? "library" : "sidecar";

    /// <summary>Gets the caller's sidecar in the sidecar door (null in the library door).</summary>
    public SidecarDoor? Sidecar { get; } = sidecar;

    /// <summary>Gets the client's attempts (every call's first attempt, retries, hedges).</summary>
    public AttemptCounter Attempts { get; } = attempts;

    public ConsulEmulator Consul { get; } = consul;

    public RegistryProxy Proxy { get; } = proxy;

    public IReadOnlyList<InstanceProcess> Instances { get; } = instances;

    public OpenLoopDriver Driver { get; } = driver;

    /// <summary>Gets the client's discovery watch of the service (the one its channel shares).</summary>
    public IServiceWatch Watch { get; } = watch;

    public BalancingMonitor Monitor { get; } = monitor;

    public FaultOptions Options { get; } = options;

    public static TimeSpan Since(long timestamp) => Stopwatch.GetElapsedTime(timestamp);

    /// <summary>Waits (event-driven, bounded) until discovery's snapshot satisfies <paramref name="condition"/>; returns when, or null.</summary>
    public async Task<long?> WaitForSnapshotAsync(Func<ServiceSnapshot, bool> condition, TimeSpan max)
    {
        using var timeout = new CancellationTokenSource(max);
        var snapshot = Watch.Current;
        try
        {
            while (!condition(snapshot))
            {
                snapshot = await Watch.WaitForChangeAsync(snapshot.Version, timeout.Token);
            }
        }
        catch (OperationCanceledException)
        {
            return null;
        }

        return Stopwatch.GetTimestamp();
    }

    public bool Lists(ServiceSnapshot snapshot, InstanceProcess instance) => snapshot.Endpoints.Any(e => e.Id == instance.Id);

    /// <summary>
    /// Waits until the system is back to normal: discovery lists all three instances, fresh, none is ejected, and a
    /// second of calls all succeed with every instance answering some. Returns the time it took, or null.
    /// </summary>
    public async Task<TimeSpan?> WaitForNormalAsync(TimeSpan max)
    {
        var started = Stopwatch.GetTimestamp();
        var listed = await WaitForSnapshotAsync(s => !s.IsStale && Instances.All(i => Lists(s, i)), max);
        if (listed is null)
        {
            return null;
        }

        while (Since(started) < max)
        {
            if (await EjectedCountAsync() == 0)
            {
                var from = Stopwatch.GetTimestamp();
                await Task.Delay(TimeSpan.FromSeconds(1));
                var calls = Driver.Ended(from, Stopwatch.GetTimestamp());
                if (calls.Count > 0 && calls.All(c => c.Status == Grpc.Core.StatusCode.OK)
                    && Instances.All(i => calls.Any(c => c.Instance == i.Id)))
                {
                    return Since(started);
                }
            }
            else
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200)); // ejections end on the balancer's timer; nothing to wait on
            }
        }

        return null;
    }

    /// <summary>Waits (event-driven, bounded) until the balancer's snapshot of the service satisfies <paramref name="condition"/>.</summary>
    public async Task<long?> WaitForBalancerAsync(Func<BalancerSnapshot, bool> condition, TimeSpan max)
    {
        var reached = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnChanged(object? sender, BalancerChangedEventArgs e)
        {
            if (e.Snapshot.ServiceName == FaultHarness.ServiceName && condition(e.Snapshot))
            {
                reached.TrySetResult(Stopwatch.GetTimestamp());
            }
        }

        Monitor.BalancerChanged += OnChanged;
        try
        {
            if (Monitor.GetSnapshot().Any(s => s.ServiceName == FaultHarness.ServiceName && condition(s)))
            {
                return Stopwatch.GetTimestamp();
            }

            return await reached.Task.WaitAsync(max);
        }
        catch (TimeoutException)
        {
            return null;
        }
        finally
        {
            Monitor.BalancerChanged -= OnChanged;
        }
    }

    /// <summary>Returns a task that completes with the time <paramref name="instance"/> is ejected (or never, within <paramref name="max"/>).</summary>
    public async Task<long?> WaitForEjectionAsync(InstanceProcess instance, TimeSpan max)
    {
        if (Sidecar is not null)
        {
            return await Sidecar.WaitForEjectionAsync(instance.Id, max);
        }

        var ejected = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnEjected(object? sender, EndpointEjectionEventArgs e)
        {
            if (e.Endpoint.Id == instance.Id)
            {
                ejected.TrySetResult(Stopwatch.GetTimestamp());
            }
        }

        Monitor.EndpointEjected += OnEjected;
        try
        {
            return await ejected.Task.WaitAsync(max);
        }
        catch (TimeoutException)
        {
            return null;
        }
        finally
        {
            Monitor.EndpointEjected -= OnEjected;
        }
    }

    /// <summary>Waits until a whole second of calls all succeed; returns how long that took (its end), or null.</summary>
    public async Task<TimeSpan?> WaitForAllAnsweredAsync(TimeSpan max)
    {
        var started = Stopwatch.GetTimestamp();
        while (Since(started) < max)
        {
            var from = Stopwatch.GetTimestamp();
            await Task.Delay(TimeSpan.FromMilliseconds(250));
            var calls = Driver.Ended(from, Stopwatch.GetTimestamp());
            if (calls.Count > 0 && calls.All(c => c.Status == Grpc.Core.StatusCode.OK))
            {
                var since = Stopwatch.GetTimestamp();
                await Task.Delay(TimeSpan.FromSeconds(1));
                if (Driver.Ended(since, Stopwatch.GetTimestamp()).All(c => c.Status == Grpc.Core.StatusCode.OK))
                {
                    return Stopwatch.GetElapsedTime(started, from);
                }
            }
        }

        return null;
    }

    /// <summary>Counts the instances the door's balancer has ejected (the library's balancer, or the caller sidecar's).</summary>
    public async Task<int> EjectedCountAsync() =>
        Sidecar is null ? Monitor.GetEjectedCount(FaultHarness.ServiceName) : (await Sidecar.GetInstancesAsync()).Count(i => i.Ejected);

    /// <summary>Sums the calls the instances have received (every attempt that reached one).</summary>
    public async Task<long> InstanceCallsAsync() => (await Task.WhenAll(Instances.Select(i => i.GetCallCountAsync()))).Sum();

    public static TimeSpan? Between(long from, long? to) => to is { } t ? Stopwatch.GetElapsedTime(from, t) : null;
}
