using Grpc.Core;
using Grpc.Net.Client;
using Grpc.Net.Client.Balancer;
using Grpc.Net.Client.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Mesh.Tests.Balancing;

/// <summary>
/// Hands out real gRPC <see cref="Subchannel"/> objects (never connected) for unit tests of per-instance state: gRPC
/// only creates them through a balancer's controller, so this runs a channel whose balancer lends out its own.
/// </summary>
internal sealed class SubchannelSource : IDisposable
{
    private const string Policy = "test_lend_controller";
    private readonly GrpcChannel _channel;
    private readonly IChannelControlHelper _controller;

    private SubchannelSource(GrpcChannel channel, IChannelControlHelper controller)
    {
        _channel = channel;
        _controller = controller;
    }

    public static async Task<SubchannelSource> CreateAsync()
    {
        var factory = new LendingFactory();
        var services = new ServiceCollection();
        services.AddSingleton<ResolverFactory>(new StaticResolverFactory(_ => [new BalancerAddress("127.0.0.1", 9)]));
        services.AddSingleton<LoadBalancerFactory>(factory);
        var channel = GrpcChannel.ForAddress("static:///lend", new GrpcChannelOptions
        {
            Credentials = ChannelCredentials.Insecure,
            ServiceProvider = services.BuildServiceProvider(),
            ServiceConfig = new ServiceConfig { LoadBalancingConfigs = { new LoadBalancingConfig(Policy) } },
        });
        // Connecting starts the resolver, which creates the balancer; it never gets ready, so stop waiting then.
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var connect = channel.ConnectAsync(cts.Token);
        var controller = await factory.Controller.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => connect);
        return new SubchannelSource(channel, controller);
    }

    public Subchannel Create() => _controller.CreateSubchannel(new SubchannelOptions([new BalancerAddress("127.0.0.1", 9)]));

    public void Dispose() => _channel.Dispose();

    private sealed class LendingFactory : LoadBalancerFactory
    {
        public TaskCompletionSource<IChannelControlHelper> Controller { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override string Name => Policy;

        public override LoadBalancer Create(LoadBalancerOptions options)
        {
            Controller.TrySetResult(options.Controller);
            return new IdleBalancer();
        }
    }

    private sealed class IdleBalancer : LoadBalancer
    {
        public override void UpdateChannelState(ChannelState state)
        {
        }

        public override void RequestConnection()
        {
        }
    }
}
