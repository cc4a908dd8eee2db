using System.Globalization;
using Grpc.Core;
using Mesh.Channels;
using Mesh.Testing.Consul;
using Mesh.Testing.Grpc.V1;
using Mesh.Tests.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Mesh.Tests.EndToEnd;

/// <summary>
/// Two hops on real Kestrel servers: client → frontend (a Mesh app) → backend, both found through the emulator.
/// The frontend calls the backend while handling the client's call, through <c>AddGrpcClient&lt;T&gt;().AddMesh(...)</c>.
/// </summary>
public sealed class DeadlinePropagationTests
{
    /// <summary>The backend answers with the deadline it was given, so the test can see what crossed the second hop.</summary>
    private sealed class DeadlineEcho : EchoService.EchoServiceBase
    {
        public override Task<EchoReply> Echo(EchoRequest request, ServerCallContext context) =>
            Task.FromResult(new EchoReply { Message = context.Deadline.ToString("O", CultureInfo.InvariantCulture), Instance = "backend" });
    }

    /// <summary>The frontend relays to the backend, without passing any deadline on itself.</summary>
    private sealed class Relay(EchoService.EchoServiceClient backend) : EchoService.EchoServiceBase
    {
        public override async Task<EchoReply> Echo(EchoRequest request, ServerCallContext context) =>
            await backend.EchoAsync(request);
    }

    [Fact]
    public async Task CallerDeadline_ReachesTheSecondHop()
    {
        await using var consul = await ConsulEmulator.StartNewAsync();
        await using var backend = await GrpcTestApp.StartAsync<DeadlineEcho>(_ => { });
        await using var frontend = await GrpcTestApp.StartAsync<Relay>(builder =>
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Mesh:Registry"] = "Consul",
                ["Mesh:Consul:Address"] = consul.Address.ToString(),
            });
            builder.Services.AddMesh(builder.Configuration);
            builder.Services.AddGrpcClient<EchoService.EchoServiceClient>().AddMesh("backend", "consul");
        });
        consul.RegisterService("backend-1", "backend", GrpcTestApp.Port(backend));
        consul.RegisterService("frontend-1", "frontend", GrpcTestApp.Port(frontend));
        await using var caller = await MeshClientHost.StartAsync(consul, []);
        var client = caller.Client("frontend");

        // Far shorter than the policy's 30 s default timeout, so only propagation can explain a short backend deadline.
        var deadline = DateTime.UtcNow.AddSeconds(5);
        var reply = await client.EchoAsync(new EchoRequest { Message = "hi" }, deadline: deadline);

        var backendDeadline = DateTime.Parse(reply.Message, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
        Assert.Equal("backend", reply.Instance);
        Assert.InRange(backendDeadline, deadline.AddSeconds(-2), deadline.AddMilliseconds(100));
    }

    [Fact]
    public async Task CallerCancels_TheSecondHopIsCancelledToo()
    {
        await using var consul = await ConsulEmulator.StartNewAsync();
        var backendCancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var backendStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var backend = await GrpcTestApp.StartAsync<HangingEcho>(b => b.Services.AddSingleton(new HangingEcho.Signals(backendStarted, backendCancelled)));
        await using var frontend = await GrpcTestApp.StartAsync<Relay>(builder =>
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Mesh:Registry"] = "Consul",
                ["Mesh:Consul:Address"] = consul.Address.ToString(),
            });
            builder.Services.AddMesh(builder.Configuration);
            builder.Services.AddGrpcClient<EchoService.EchoServiceClient>().AddMesh("backend", "consul");
        });
        consul.RegisterService("backend-1", "backend", GrpcTestApp.Port(backend));
        consul.RegisterService("frontend-1", "frontend", GrpcTestApp.Port(frontend));
        await using var caller = await MeshClientHost.StartAsync(consul, []);
        using var cancel = new CancellationTokenSource();

        var call = caller.Client("frontend").EchoAsync(new EchoRequest { Message = "hi" }, cancellationToken: cancel.Token);
        await backendStarted.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await cancel.CancelAsync();

        await backendCancelled.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);
        Assert.Equal(StatusCode.Cancelled, error.StatusCode);
    }

    /// <summary>A backend that waits until its call is cancelled, and says so.</summary>
    private sealed class HangingEcho(HangingEcho.Signals signals) : EchoService.EchoServiceBase
    {
        public sealed record Signals(TaskCompletionSource Started, TaskCompletionSource Cancelled);

        public override async Task<EchoReply> Echo(EchoRequest request, ServerCallContext context)
        {
            await using var registration = context.CancellationToken.Register(() => signals.Cancelled.TrySetResult());
            signals.Started.TrySetResult();
            await signals.Cancelled.Task;
            throw new RpcException(new Status(StatusCode.Cancelled, "cancelled"));
        }
    }
}
