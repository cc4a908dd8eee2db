using Grpc.Core;
using Mesh.Balancing;
using Mesh.Channels;
using Mesh.Demo.V1;
using Mesh.Discovery;

namespace Mesh.Demo;

/// <summary>
/// Act 1, the library: greeter instances (the Mesh package) start, crash and stop while the demo calls them through
/// <c>mesh:///greeter</c>, with the live endpoint set, how long each change took to arrive, and how the calls fared.
/// </summary>
internal static class LibraryAct
{
    public static async Task RunAsync(IServiceProvider services, string registryDirectory, CancellationToken stopping)
    {
        using var watch = services.GetRequiredService<IServiceDiscovery>().Watch(ServiceQuery.For(DemoSettings.ServiceName));
        Console.WriteLine($"Act 1, the library: watching '{DemoSettings.ServiceName}' in the Local registry at {registryDirectory}");
        Console.WriteLine($"and calling it through mesh:///{DemoSettings.ServiceName} every 20 ms (round robin, retries, ejection)");
        DemoStep.Print(DemoSettings.ServiceName, (await watch.WaitForChangeAsync(0, stopping)).Endpoints);
        var greeter = new Greeter.GreeterClient(services.GetRequiredService<IMeshChannels>().CreateCallInvoker(DemoSettings.ServiceName));
        await using var calls = new CallLoop(async cancellationToken =>
        {
            try
            {
                var reply = await greeter.SayHelloAsync(new HelloRequest { Name = "demo" }, cancellationToken: cancellationToken);
                return CallOutcome.AnsweredBy(reply.Instance);
            }
            catch (RpcException ex) when (!cancellationToken.IsCancellationRequested)
            {
                return CallOutcome.Failure($"{ex.StatusCode}: {ex.Status.Detail}");
            }
        });
        calls.Start();

        var instances = new List<InstanceProcess>();
        try
        {
            var channel = new ChannelView(services.GetRequiredService<BalancingMonitor>());
            var step = new DemoStep(watch, channel, calls, stopping);
            instances.Add(await step.RunAsync("start instance a", () => InstanceProcess.Start("a", registryDirectory), n => n == 1));
            instances.Add(await step.RunAsync("start instance b", () => InstanceProcess.Start("b", registryDirectory), n => n == 2));
            await step.ObserveAsync(DemoSettings.ObservePeriod);
            // No deregistration: callers route around b at once (retry, ejection) and discovery drops it when its lease runs out.
            await step.RunAsync($"crash b (kill -9: its {DemoSettings.Ttl.TotalSeconds:0} s lease must run out)", () => instances[1].Crash(), n => n == 1);
            instances.Add(await step.RunAsync("start instance c", () => InstanceProcess.Start("c", registryDirectory), n => n == 2));
            await step.ObserveAsync(DemoSettings.ObservePeriod);
            // Maintenance takes the instance out of discovery at once; the drain delay and deregistration follow.
            await step.RunAsync("stop a gracefully (maintenance, drain, deregister)", instances[0].RequestStop, n => n == 1);
            await instances[0].WaitForExitAsync();
            await step.RunAsync("stop c gracefully: no instance left, calls fail fast", instances[2].RequestStop, n => n == 0);
            await instances[2].WaitForExitAsync();
            await channel.WaitForNoConnectionAsync(stopping);
            await calls.ReportAsync();
        }
        finally
        {
            instances.ForEach(i => i.Dispose());
        }
    }
}
