using System.Net;
using System.Net.Sockets;
using Grpc.Health.V1;
using Mesh.Discovery;
using Mesh.Sidecar.Health.Internal;
using Mesh.Sidecar.Tests.Inbound;
using Mesh.Sidecar.Tests.TestSupport;
using Mesh.Testing.Consul;
using Mesh.Tests.TestSupport;

namespace Mesh.Sidecar.Tests.Health;

/// <summary>The sidecar probes the app and the registry hears the verdict within one probe interval (fake time).</summary>
public sealed class AppHealthTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task AppDies_CriticalWithinOneProbeInterval_SidecarStaysUp_AppReturns_Passing()
    {
        var time = new SignallingTimeProvider();
        await using var consul = await ConsulEmulator.StartNewAsync();
        var app = new TcpListener(IPAddress.Loopback, 0);
        app.Start();
        var port = ((IPEndPoint)app.LocalEndpoint).Port;
        var settings = InboundGrpcTests.ConsulSettings(consul);
        settings["Mesh:Registration:Ttl"] = "00:00:30"; // heartbeats every 10 s: only the probe can explain a change at 5 s
        settings["Mesh:Sidecar:Probe:Interval"] = "00:00:05";
        await using var sidecar = await RunningSidecar.StartAsync(port, settings, time);
        // The first probe's verdict is pushed right after registering: let it land before counting.
        await consul.WaitForRequestsAsync("/v1/agent/check/update/", 1).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("passing", Status(consul));

        app.Stop();
        var updates = consul.CountRequests("/v1/agent/check/update/");
        await time.AdvanceWhenScheduledAsync(Interval); // exactly one probe interval
        await consul.WaitForRequestsAsync("/v1/agent/check/update/", updates + 1).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal("critical", Status(consul));
        Assert.Equal(HttpStatusCode.OK, (await sidecar.Admin.GetAsync(new Uri("/healthz", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await sidecar.Admin.GetAsync(new Uri("/ready", UriKind.Relative))).StatusCode);

        using var back = new TcpListener(IPAddress.Loopback, port);
        back.Start();
        updates = consul.CountRequests("/v1/agent/check/update/");
        await time.AdvanceWhenScheduledAsync(Interval);
        await consul.WaitForRequestsAsync("/v1/agent/check/update/", updates + 1).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal("passing", Status(consul));
        Assert.Equal(HttpStatusCode.OK, (await sidecar.Admin.GetAsync(new Uri("/ready", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task HttpProbe_PassesOn2xx_FailsOn404()
    {
        await using var app = await PythonHttpApp.StartAsync();
        using var healthy = new HttpAppProbe(app.Port, "/hello");
        using var missing = new HttpAppProbe(app.Port, "/nope");

        var passing = await healthy.ProbeAsync(CancellationToken.None);
        var failing = await missing.ProbeAsync(CancellationToken.None);

        Assert.Equal((true, $"HTTP GET http://127.0.0.1:{app.Port}/hello: 200 OK"), (passing.Healthy, passing.Output));
        Assert.Equal((false, $"HTTP GET http://127.0.0.1:{app.Port}/nope: 404 Not Found"), (failing.Healthy, failing.Output));
    }

    [Fact]
    public async Task GrpcProbe_FollowsTheAppsHealthService()
    {
        await using var app = await ShapesApp.StartAsync();
        using var probe = new GrpcAppProbe(app.Port, "");

        var serving = await probe.ProbeAsync(CancellationToken.None);
        app.Health.SetStatus("", HealthCheckResponse.Types.ServingStatus.NotServing);
        var notServing = await probe.ProbeAsync(CancellationToken.None);

        Assert.True(serving.Healthy);
        Assert.Equal((false, $"gRPC health check of '' at 127.0.0.1:{app.Port}: NotServing"), (notServing.Healthy, notServing.Output));
    }

    [Fact]
    public async Task GrpcProbeKind_RegistersTheAppPassing_AndReadyAnswers200()
    {
        await using var app = await ShapesApp.StartAsync();
        await using var sidecar = await RunningSidecar.StartAsync(app.Port, new() { ["Mesh:Sidecar:Probe:Kind"] = "Grpc" });

        await sidecar.Prober.WaitForStatusAsync(EndpointHealth.Passing, new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
        var ready = await sidecar.Admin.GetStringAsync(new Uri("/ready", UriKind.Relative));

        Assert.StartsWith("ready: the app is healthy and registered as 'orders-", ready, StringComparison.Ordinal);
    }

    private static string Status(ConsulEmulator consul) => Assert.Single(consul.Services("orders")).AggregatedStatus;
}
