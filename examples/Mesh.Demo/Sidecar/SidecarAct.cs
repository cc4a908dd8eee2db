using Mesh.Discovery;

namespace Mesh.Demo;

/// <summary>
/// Act 2, the sidecar: three instances of <c>hello</c>, an app that cannot take the package, each behind its own
/// Mesh sidecar (the built executable). The demo calls them over plain HTTP through sidecar a's outbound door (its
/// upstream port for <c>hello</c>), as app a would; then app b crashes (its sidecar's probe reports it critical) and
/// sidecar c crashes (ejected, then its lease runs out), and the calls keep succeeding on what is left.
/// </summary>
internal static class SidecarAct
{
    private const string Service = DemoSettings.HelloServiceName;

    public static async Task RunAsync(IServiceProvider services, string registryDirectory, HelloApp app, CancellationToken stopping)
    {
        Console.WriteLine();
        Console.WriteLine($"Act 2, the sidecar: '{Service}' is an app that cannot take the package ({app.Kind}, no Mesh in it),");
        Console.WriteLine("each instance behind its own mesh-sidecar, registered in the same Local registry");
        using var watch = services.GetRequiredService<IServiceDiscovery>().Watch(ServiceQuery.For(Service));
        DemoStep.Print(Service, (await watch.WaitForChangeAsync(0, stopping)).Endpoints);
        var instances = new HelloInstances(app, registryDirectory);
        try
        {
            var caller = await instances.StartAsync("a", caller: true, stopping);
            var step = await CallThroughSidecarAsync(watch, caller, instances, stopping);
            await step.RunAsync("stop the rest: SIGTERM to the sidecars (maintenance, drain, deregister), stdin closed to the apps",
                () => Task.FromResult(instances.RequestStop()), n => n == 0, callerSees: false); // sidecar a leaves too: only discovery sees the end
            await instances.WaitForExitAsync();
        }
        finally
        {
            instances.Dispose();
        }
    }

    /// <summary>Starts b and c, calls through sidecar a while b's app and c's sidecar crash; returns a step for what follows.</summary>
    private static async Task<DemoStep> CallThroughSidecarAsync(IServiceWatch watch, HelloInstance caller, HelloInstances instances, CancellationToken stopping)
    {
        await using var view = new SidecarView(caller, instances.NameOf);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var upstream = new Uri($"http://127.0.0.1:{caller.UpstreamPort}/");
        await using var calls = new CallLoop(ct => HelloCall.SendAsync(http, upstream, ct), view.NoteAsync);
        view.Start();
        var step = new DemoStep(watch, view, calls, stopping);
        await step.RunAsync("start instances b and c, each behind its own sidecar",
            () => Task.WhenAll(instances.StartAsync("b", caller: false, stopping), instances.StartAsync("c", caller: false, stopping)), n => n == 3, callerSees: true);

        Console.WriteLine($"> call {upstream} every 20 ms, sidecar a's upstream port for '{Service}' (round robin, retries, ejection), until each instance answered");
        await view.NoteAsync(); // counts from here
        calls.Start();
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping))
        {
            timeout.CancelAfter(DemoSettings.StepTimeout);
            await calls.WaitForAnswersFromAsync(3, timeout.Token);
        }

        await step.ObserveAsync(DemoSettings.ObservePeriod);
        var b = instances.Get("b");
        await step.RunAsync($"crash app b (kill -9 pid {b.App.Id}): sidecar b stays up, its probe (every {DemoSettings.ProbeInterval.TotalSeconds:0} s) reports the app critical",
            b.App.Crash, n => n == 2);
        await step.ObserveAsync(DemoSettings.ObservePeriod);
        var c = instances.Get("c");
        await step.RunAsync($"crash sidecar c (kill -9 pid {c.Sidecar.Id}): nothing deregisters it, its {DemoSettings.Ttl.TotalSeconds:0} s lease must run out",
            c.Sidecar.Crash, n => n == 1);
        await step.ObserveAsync(DemoSettings.ObservePeriod);
        await calls.StopAsync();
        await calls.ReportAsync();
        Console.WriteLine($"  calls through the sidecars: {calls.Answered} answered, {calls.Failed} failed");
        return step;
    }
}
