using System.Net;
using Mesh.Sidecar.Tests.TestSupport;
using Mesh.Testing.Consul;
using Mesh.Tests.TestSupport;

namespace Mesh.Sidecar.Tests.Outbound;

/// <summary>The outbound door over Consul: the callee's sidecar registers its inbound address, the caller's discovers it; a registry that never answers fails the call after the resolve timeout, on the sidecar's clock.</summary>
public sealed class OutboundDiscoveryTests
{
    [Fact]
    public async Task TwoSidecarsOverConsul_CalleeRegisteredAtItsInboundAddress_CallerDiscoversAndCallsIt()
    {
        await using var consul = await ConsulEmulator.StartNewAsync();
        await using var app = await PythonHttpApp.StartAsync();
        await using var mesh = await TwoSidecars.StartAsync([app.Port], shared: new()
        {
            ["Mesh:Registry"] = "Consul",
            ["Mesh:Consul:Address"] = consul.Address.ToString(),
        });
        using var http = new HttpClient { BaseAddress = mesh.UpstreamUri };

        using var response = await http.GetAsync(new Uri("/hello", UriKind.Relative));

        var registered = Assert.Single(consul.Services("orders"));
        Assert.Equal(mesh.Callees[0].InboundUri.Port, registered.Port); // the inbound door, not the app's own port
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("hello from python", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ARegistryThatNeverAnswers_FailsTheCallFastAfterTheResolveTimeout()
    {
        await using var consul = await ConsulEmulator.StartNewAsync();
        consul.FaultPathPrefix = "/v1/health/";
        consul.Fault = EmulatorFault.Hang;
        await using var app = await PythonHttpApp.StartAsync();
        var time = new SignallingTimeProvider();
        var resolveTimeout = TimeSpan.FromMilliseconds(7250);
        await using var caller = await CallerSidecar.StartAsync([app.Port], new()
        {
            ["Mesh:Registry"] = "Consul",
            ["Mesh:Consul:Address"] = consul.Address.ToString(),
            ["Mesh:Services:orders:Balancing:ResolveTimeout"] = "00:00:07.250",
        }, time);

        var call = caller.Http.GetAsync(new Uri("/hello", UriKind.Relative));
        await time.WaitForTimerAsync(due => due == resolveTimeout);
        time.Advance(resolveTimeout);
        using var response = await call.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("no healthy instances of 'orders'\n", await response.Content.ReadAsStringAsync());
    }
}
