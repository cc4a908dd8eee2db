using Mesh.Discovery;
using Mesh.Sidecar.Tests.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Mesh.Sidecar.Tests.Outbound;

/// <summary>
/// A caller sidecar (service <c>frontend</c>) whose outbound door reaches callee sidecars of <c>orders</c> (each in
/// front of its own app) over one Local registry directory: caller outbound → callee inbound → app, real sockets.
/// </summary>
internal sealed class TwoSidecars : IAsyncDisposable
{
    private readonly List<RunningSidecar> _callees;

    private TwoSidecars(RunningSidecar caller, List<RunningSidecar> callees, int upstreamPort)
    {
        Caller = caller;
        _callees = callees;
        UpstreamPort = upstreamPort;
    }

    public RunningSidecar Caller { get; }

    public IReadOnlyList<RunningSidecar> Callees => _callees;

    /// <summary>Gets the caller's <c>Mesh:Sidecar:Upstreams:orders</c> port.</summary>
    public int UpstreamPort { get; }

    public Uri UpstreamUri => new($"http://127.0.0.1:{UpstreamPort}");

    public Uri OutboundUri => new($"http://{SidecarListeners.Format(Caller.Listeners.OutboundBound!)}");

    /// <summary>
    /// Starts one callee sidecar per app port, then the caller; <paramref name="callerSettings"/> adds to the caller's
    /// settings, <paramref name="calleeSettings"/> (by index) to each callee's, <paramref name="shared"/> to everyone's
    /// (another registry, say).
    /// </summary>
    public static async Task<TwoSidecars> StartAsync(
        IReadOnlyList<int> appPorts, Dictionary<string, string?>? callerSettings = null, Action<WebApplicationBuilder>? configureCaller = null,
        IReadOnlyList<Dictionary<string, string?>?>? calleeSettings = null, Dictionary<string, string?>? shared = null)
    {
        var callees = new List<RunningSidecar>();
        string? directory = null;
        for (var i = 0; i < appPorts.Count; i++)
        {
            var settings = new Dictionary<string, string?>(shared ?? []);
            if (directory is not null)
            {
                settings["Mesh:Local:Directory"] = directory;
            }

            foreach (var (key, value) in calleeSettings is { } each && i < each.Count ? each[i] ?? [] : [])
            {
                settings[key] = value;
            }

            var callee = await RunningSidecar.StartAsync(appPorts[i], settings);
            directory ??= callee.RegistryDirectory;
            callees.Add(callee);
        }

        // The caller's own app is not what these tests look at; the first callee's app stands in for it.
        var (started, upstreamPort) = await RunningSidecar.StartOnFreePortAsync(port =>
        {
            var caller = new Dictionary<string, string?>
            {
                ["Mesh:Local:Directory"] = directory,
                ["Mesh:Registration:ServiceName"] = "frontend",
                ["Mesh:Sidecar:Outbound"] = "http://127.0.0.1:0",
                ["Mesh:Sidecar:Upstreams:orders"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            };
            foreach (var (key, value) in (shared ?? []).Concat(callerSettings ?? []))
            {
                caller[key] = value;
            }

            return RunningSidecar.StartAsync(appPorts[0], caller, configure: configureCaller);
        });
        await WaitUntilDiscoveredAsync(started, appPorts.Count);
        return new TwoSidecars(started, callees, upstreamPort);
    }

    /// <summary>Waits (bounded, on discovery's own change events) until the caller sees every callee as passing.</summary>
    private static async Task WaitUntilDiscoveredAsync(RunningSidecar caller, int count)
    {
        using var watch = caller.Services.GetRequiredService<IServiceDiscovery>().Watch(ServiceQuery.For("orders"));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var snapshot = watch.Current;
        while (snapshot.Endpoints.Length < count)
        {
            snapshot = await watch.WaitForChangeAsync(snapshot.Version, timeout.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Caller.DisposeAsync();
        foreach (var callee in _callees)
        {
            await callee.DisposeAsync();
        }
    }
}
