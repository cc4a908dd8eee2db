using System.Net;
using Mesh.Sidecar.Tests.Inbound;
using Mesh.Sidecar.Tests.TestSupport;
using Mesh.Testing.Consul;

namespace Mesh.Sidecar.Tests.Executable;

/// <summary>The built executable as a child process: help, a bad setting, and a SIGTERM drain that loses nothing.</summary>
public sealed class SidecarExecutableTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Help_PrintsTheFlagsAndKeys()
    {
        await using var sidecar = SidecarProcess.Start(["--help"]);

        Assert.Equal(0, await sidecar.WaitForExitAsync(Bound));
        Assert.Contains("--app-port <port>         Mesh:Sidecar:AppPort", sidecar.Output, StringComparison.Ordinal);
        Assert.Contains("Inbound                   http://0.0.0.0:4143", sidecar.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadSettingFromTheEnvironment_ExitsWith2NamingTheKey()
    {
        await using var sidecar = SidecarProcess.Start(["--service", "orders"], new Dictionary<string, string> { ["Mesh__Sidecar__AppPort"] = "http" });

        Assert.Equal(2, await sidecar.WaitForExitAsync(Bound));
        Assert.Contains("mesh-sidecar: Mesh:Sidecar:AppPort must be a port number from 1 to 65535; got 'http'.", sidecar.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sigterm_Maintenance_DrainStillForwards_Deregister_InFlightRequestFinishes()
    {
        await using var consul = await ConsulEmulator.StartNewAsync();
        await using var app = await PythonHttpApp.StartAsync();
        var inboundPort = InboundGrpcTests.FreePort();
        await using var sidecar = SidecarProcess.Start(
            ["--service", "orders", "--app-port", app.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
             $"--Mesh:Sidecar:Inbound=http://127.0.0.1:{inboundPort}", "--Mesh:Sidecar:Admin=http://127.0.0.1:0", "--Mesh:Sidecar:Outbound=http://127.0.0.1:0",
             "--Mesh:Registration:DrainDelay=00:00:02"],
            new Dictionary<string, string> { ["CONSUL_HTTP_ADDR"] = consul.Address.ToString() });
        using var bound = new CancellationTokenSource(Bound);
        await consul.WaitForRequestsAsync("/v1/agent/service/register", 1, bound.Token);
        Assert.Equal(inboundPort, Assert.Single(consul.Services("orders")).Port);
        using var held = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{inboundPort}") };
        using var during = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{inboundPort}") };

        using var inFlight = await held.GetAsync(new Uri("/held", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead, bound.Token);
        using var reader = new StreamReader(await inFlight.Content.ReadAsStreamAsync(bound.Token));
        Assert.Equal("first", await reader.ReadLineAsync(bound.Token));

        sidecar.Terminate();
        await consul.WaitForRequestsAsync("/v1/agent/service/maintenance/", 1, bound.Token);
        using var duringDrain = await during.GetAsync(new Uri("/hello", UriKind.Relative), bound.Token); // still forwarded while callers move away
        await consul.WaitForRequestsAsync("/v1/agent/service/deregister/", 1, bound.Token);
        using (var release = new HttpClient())
        {
            await release.GetAsync(new Uri($"http://127.0.0.1:{app.Port}/release"), bound.Token);
        }

        Assert.Equal("last", await reader.ReadLineAsync(bound.Token)); // the in-flight request finished after deregistration
        Assert.Equal(HttpStatusCode.OK, duringDrain.StatusCode);
        Assert.Equal(0, await sidecar.WaitForExitAsync(Bound));
        Assert.Empty(consul.Services("orders"));
    }
}
