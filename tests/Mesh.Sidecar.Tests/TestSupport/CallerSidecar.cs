using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;

namespace Mesh.Sidecar.Tests.TestSupport;

/// <summary>
/// A caller's sidecar (service <c>frontend</c>, not registered) whose upstream port reaches <c>orders</c> at fixed
/// instance ports (the Static registry): the outbound door alone, with nothing between it and the instances, so a
/// test controls exactly what each instance answers and, with a fake clock, when the door's timers fire.
/// </summary>
internal sealed class CallerSidecar : IAsyncDisposable
{
    private CallerSidecar(RunningSidecar sidecar, int upstreamPort)
    {
        Sidecar = sidecar;
        UpstreamPort = upstreamPort;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{upstreamPort}") };
    }

    public RunningSidecar Sidecar { get; }

    /// <summary>Gets the <c>Mesh:Sidecar:Upstreams:orders</c> port.</summary>
    public int UpstreamPort { get; }

    /// <summary>Gets a client of the upstream port, as the local app calls <c>orders</c>.</summary>
    public HttpClient Http { get; }

    /// <summary>Starts the sidecar; <paramref name="settings"/> add to (or override) its settings.</summary>
    public static async Task<CallerSidecar> StartAsync(
        IReadOnlyList<int> instancePorts, Dictionary<string, string?>? settings = null, TimeProvider? time = null, Action<WebApplicationBuilder>? configure = null)
    {
        var (sidecar, upstreamPort) = await RunningSidecar.StartOnFreePortAsync(port =>
        {
            var all = new Dictionary<string, string?>
            {
                ["Mesh:Registry"] = "Static",
                ["Mesh:Registration:Enabled"] = "false",
                ["Mesh:Registration:ServiceName"] = "frontend",
                ["Mesh:Sidecar:Upstreams:orders"] = port.ToString(CultureInfo.InvariantCulture),
            };
            for (var i = 0; i < instancePorts.Count; i++)
            {
                all[$"Mesh:Services:orders:Endpoints:{i}"] = $"127.0.0.1:{instancePorts[i]}";
            }

            foreach (var (key, value) in settings ?? [])
            {
                all[key] = value;
            }

            return RunningSidecar.StartAsync(instancePorts[0], all, time, configure);
        });
        return new CallerSidecar(sidecar, upstreamPort);
    }

    /// <summary>Reads <c>/endpoints</c>: the <c>orders</c> upstream (instances, breaker).</summary>
    public async Task<JsonElement> UpstreamAsync()
    {
        using var document = JsonDocument.Parse(await Sidecar.Admin.GetStringAsync(new Uri("/endpoints", UriKind.Relative)));
        return document.RootElement.GetProperty("upstreams").EnumerateArray().Single(u => u.GetProperty("service").GetString() == "orders").Clone();
    }

    /// <summary>Reads <c>/endpoints</c>: the instance at <paramref name="port"/>.</summary>
    public async Task<JsonElement> InstanceAsync(int port) =>
        (await UpstreamAsync()).GetProperty("instances").EnumerateArray().Single(i => i.GetProperty("address").GetString() == $"127.0.0.1:{port}");

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Sidecar.DisposeAsync();
    }
}
