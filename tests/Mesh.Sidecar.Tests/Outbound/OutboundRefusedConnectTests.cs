using System.Net;
using System.Net.Sockets;
using Mesh.Sidecar.Tests.TestSupport;

namespace Mesh.Sidecar.Tests.Outbound;

/// <summary>
/// Every listed instance refuses its connections (all down while discovery still lists them, issue 11's all-down):
/// the caller gets Mesh's answer naming the service, and the sidecar stops dialling the dead instances on every call.
/// </summary>
public sealed class OutboundRefusedConnectTests
{
    [Fact]
    public async Task Get_EveryInstanceRefusesItsConnect_AnswersNoReachableInstancesOfTheService()
    {
        var app = await PythonHttpApp.StartAsync();
        var upstreamPort = FreePort();
        await using var sidecar = await RunningSidecar.StartAsync(app.Port, new Dictionary<string, string?>
        {
            ["Mesh:Registry"] = "Static",
            ["Mesh:Registration:ServiceName"] = "frontend",
            ["Mesh:Services:orders:Endpoints:0"] = $"127.0.0.1:{FreePort()}",
            ["Mesh:Services:orders:Endpoints:1"] = $"127.0.0.1:{FreePort()}",
            ["Mesh:Services:orders:Endpoints:2"] = $"127.0.0.1:{FreePort()}",
            ["Mesh:Sidecar:Upstreams:orders"] = upstreamPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{upstreamPort}") };

        var answers = new List<(HttpStatusCode Status, string Body)>();
        for (var i = 0; i < 10; i++)
        {
            using var response = await http.GetAsync(new Uri("/hello", UriKind.Relative));
            answers.Add((response.StatusCode, await response.Content.ReadAsStringAsync()));
        }

        // The first call meets the refusals (its attempts and retries); the rest are answered without a connect.
        Assert.NotEqual(HttpStatusCode.OK, answers[0].Status);
        Assert.All(answers.Skip(1), answer =>
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, answer.Status);
            Assert.Contains("no reachable instances of 'orders'", answer.Body, StringComparison.Ordinal);
        });
        await app.DisposeAsync();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
