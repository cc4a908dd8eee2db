using System.Globalization;
using System.Net;
using Mesh.Balancing;
using Mesh.Discovery;
using Mesh.Sidecar.Tests.Inbound;
using Mesh.Sidecar.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Mesh.Sidecar.Tests.Executable;

/// <summary>
/// SIGTERM to a callee's sidecar (the built executable, as users run it) while a slow request from another service
/// is in flight through caller outbound → callee inbound: that request finishes, and new calls go to the other instance.
/// </summary>
public sealed class OutboundDrainTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Sigterm_ToTheCalleesSidecar_TheSlowCallThroughTheOutboundDoorFinishes_NewCallsGoElsewhere()
    {
        var directory = Directory.CreateTempSubdirectory("mesh-drain-test-").FullName;
        await using var draining = await PythonHttpApp.StartAsync();
        await using var staying = await PythonHttpApp.StartAsync();
        await using var callee = SidecarProcess.Start(
            ["--service", "orders", "--app-port", draining.Port.ToString(CultureInfo.InvariantCulture),
             "--Mesh:Sidecar:Inbound=http://127.0.0.1:0", "--Mesh:Sidecar:Admin=http://127.0.0.1:0", "--Mesh:Sidecar:Outbound=http://127.0.0.1:0",
             "--Mesh:Registry=Local", $"--Mesh:Local:Directory={directory}", "--Mesh:Registration:DrainDelay=00:00:01"]);
        var upstreamPort = InboundGrpcTests.FreePort();
        await using var caller = await RunningSidecar.StartAsync(staying.Port, new()
        {
            ["Mesh:Local:Directory"] = directory,
            ["Mesh:Registration:ServiceName"] = "frontend",
            ["Mesh:Sidecar:Upstreams:orders"] = upstreamPort.ToString(CultureInfo.InvariantCulture),
        });
        using var watch = caller.Services.GetRequiredService<IServiceDiscovery>().Watch(ServiceQuery.For("orders"));
        using var bound = new CancellationTokenSource(Bound);
        await WaitForInstancesAsync(watch, 1, callee, bound.Token);
        using var held = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{upstreamPort}") };
        using var calls = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{upstreamPort}") };

        using var inFlight = await held.GetAsync(new Uri("/held", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead, bound.Token);
        using var reader = new StreamReader(await inFlight.Content.ReadAsStreamAsync(bound.Token));
        Assert.Equal("first", await reader.ReadLineAsync(bound.Token)); // in flight at the draining instance
        await using var other = await RunningSidecar.StartAsync(staying.Port, new() { ["Mesh:Local:Directory"] = directory });
        await WaitForInstancesAsync(watch, 2, callee, bound.Token);

        // In maintenance, discovery drops it; wait until the caller's balancer (not only discovery) has let it go.
        var monitor = caller.Services.GetRequiredService<BalancingMonitor>();
        var dropped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        monitor.BalancerChanged += (_, e) =>
        {
            if (e.Snapshot.ServiceName == "orders" && e.Snapshot.Ready.Length == 1 && e.Snapshot.Ready[0].Port == other.InboundUri.Port)
            {
                dropped.TrySetResult();
            }
        };
        callee.Terminate();
        await dropped.Task.WaitAsync(bound.Token);
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 10; i++)
        {
            using var response = await calls.GetAsync(new Uri("/hello", UriKind.Relative), bound.Token);
            statuses.Add(response.StatusCode);
        }

        using (var release = new HttpClient())
        {
            await release.GetAsync(new Uri(draining.Uri, "/release"), bound.Token);
        }

        Assert.Equal("last", await reader.ReadLineAsync(bound.Token)); // the slow call finished through both doors
        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Equal(2, await draining.HitsAsync()); // /held and /release only: no new call went to it
        Assert.Equal(10, await staying.HitsAsync());
        Assert.Equal(0, await callee.WaitForExitAsync(Bound));
    }

    private static async Task WaitForInstancesAsync(IServiceWatch watch, int count, SidecarProcess callee, CancellationToken cancellationToken)
    {
        var snapshot = watch.Current;
        try
        {
            while (snapshot.Endpoints.Length != count)
            {
                snapshot = await watch.WaitForChangeAsync(snapshot.Version, cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"discovery shows {snapshot.Endpoints.Length} instances, not {count}; the callee's sidecar wrote:\n{callee.Output}");
        }
    }
}
