using System.Net;
using System.Net.Sockets;
using Mesh.Sidecar.Tests.TestSupport;
using Mesh.Testing.Net;

namespace Mesh.Sidecar.Tests.Outbound;

/// <summary>
/// The outbound door reads the library's <c>Mesh:Services:&lt;name&gt;:Balancing:ConnectTimeout</c>: an instance whose
/// connect never completes costs an attempt that long, then the retry goes to another instance (issue 11).
/// </summary>
public sealed class OutboundConnectTimeoutTests
{
    [Fact]
    public async Task Get_OneInstanceNeverCompletesItsConnect_IsAnsweredByTheOtherWithinTheDeadline()
    {
        var app = await PythonHttpApp.StartAsync();
        using var hanging = new HangingListener();
        var upstreamPort = FreePort();
        await using var sidecar = await RunningSidecar.StartAsync(app.Port, new Dictionary<string, string?>
        {
            ["Mesh:Registry"] = "Static",
            ["Mesh:Registration:ServiceName"] = "frontend",
            ["Mesh:Services:orders:Endpoints:0"] = $"127.0.0.1:{hanging.Port}",
            ["Mesh:Services:orders:Endpoints:1"] = $"127.0.0.1:{app.Port}",
            // Round robin: of two calls in a row, one goes to the hanging instance first.
            ["Mesh:Services:orders:Balancing:LoadBalancer"] = "RoundRobin",
            ["Mesh:Services:orders:Balancing:ConnectTimeout"] = "00:00:01",
            // Shorter than the 5 s the sidecar's connects used to wait, longer than the configured connect timeout.
            ["Mesh:Services:orders:Policy:Timeout"] = "00:00:03",
            ["Mesh:Sidecar:Upstreams:orders"] = upstreamPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{upstreamPort}") };

        using var first = await http.GetAsync(new Uri("/hello", UriKind.Relative));
        using var second = await http.GetAsync(new Uri("/hello", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        await app.DisposeAsync();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
