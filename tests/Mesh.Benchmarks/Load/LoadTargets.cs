using Grpc.Core;
using Grpc.Net.Client;
using Grpc.Net.Client.Balancer;
using Mesh.Channels;
using Mesh.Resilience;
using Mesh.Testing.Grpc;
using Mesh.Testing.Grpc.V1;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Mesh.Benchmarks.Load;

/// <summary>
/// The clients under test, all to the same <see cref="TestGrpcServer"/>: a plain channel to its address, and a Mesh
/// channel (<c>mesh:///echo</c>, Static registry listing that one instance, default balancing and policy) built the
/// way an app gets it, through <c>services.AddMesh(configuration)</c> and <see cref="IMeshChannels"/>. With
/// <c>--breakdown</c>, four more split the Mesh overhead into its parts: grpc-dotnet's own balanced channel
/// (<c>static:///</c>, no Mesh code), the default policy's 30 s deadline alone (set by the caller on the plain
/// channel), the whole policy over the plain channel, and the Mesh channel (resolver, balancer, status handler)
/// without the policy.
/// </summary>
internal sealed class LoadTargets : IAsyncDisposable
{
    public const string ServiceName = "echo";

    private readonly GrpcChannel _plainChannel;
    private readonly IHost _meshHost;
    private readonly List<IDisposable> _extras;

    private LoadTargets(GrpcChannel plainChannel, IHost meshHost, IReadOnlyList<LoadTarget> targets, List<IDisposable> extras)
    {
        _plainChannel = plainChannel;
        _meshHost = meshHost;
        All = targets;
        _extras = extras;
    }

    /// <summary>Gets the targets, the plain channel first (the baseline of every ratio).</summary>
    public IReadOnlyList<LoadTarget> All { get; }

    public static async Task<LoadTargets> CreateAsync(TestGrpcServer server, bool breakdown)
    {
        // h2c: an http:// address is all a plain channel needs (no credentials, default SocketsHttpHandler).
        var plainChannel = GrpcChannel.ForAddress(server.Address);

        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Mesh:Registry"] = "Static",
            [$"Mesh:Services:{ServiceName}:Endpoints:0"] = $"{server.Host}:{server.Port}",
        });
        builder.Services.AddMesh(builder.Configuration);
        var meshHost = builder.Build();
        await meshHost.StartAsync(); // validates the options, as an app's start would
        var channels = meshHost.Services.GetRequiredService<IMeshChannels>();

        var targets = new List<LoadTarget>
        {
            new("plain", $"GrpcChannel.ForAddress(\"{server.Address}\")", new EchoService.EchoServiceClient(plainChannel)),
            new("mesh", $"IMeshChannels.CreateCallInvoker(\"{ServiceName}\"): mesh:///{ServiceName}, default P2C + default policy",
                new EchoService.EchoServiceClient(channels.CreateCallInvoker(ServiceName))),
        };
        var extras = new List<IDisposable>();
        if (breakdown)
        {
            // gRPC's own client-side balancing with no Mesh code: a static:/// resolver and pick_first. What it
            // costs over the plain channel is grpc-dotnet's price for any resolver-based channel.
            var services = new ServiceCollection()
                .AddSingleton<ResolverFactory>(new StaticResolverFactory(_ => [new BalancerAddress(server.Host, server.Port)]))
                .BuildServiceProvider();
            var grpcBalanced = GrpcChannel.ForAddress($"static:///{ServiceName}", new GrpcChannelOptions
            {
                ServiceProvider = services,
                Credentials = ChannelCredentials.Insecure,
            });
            extras.Add(grpcBalanced);
            extras.Add(services);
            targets.Add(new("grpc-lb", $"GrpcChannel.ForAddress(\"static:///{ServiceName}\"): grpc-dotnet's static resolver + pick_first, no Mesh code",
                new EchoService.EchoServiceClient(grpcBalanced)));
            // What the default policy's 30 s timeout costs in gRPC itself (client deadline timer, grpc-timeout
            // header, server deadline timer): the plain channel with the same deadline set by the caller.
            targets.Add(new("plain+deadline", "plain channel, caller sets deadline = now + 30 s (the default policy's timeout)",
                new EchoService.EchoServiceClient(plainChannel), CallPolicyDefaults.Timeout));
            // The policy's own share: the same plain channel, wrapped in a policy with default options.
            var policyOnly = plainChannel.CreateCallInvoker().WithCallPolicy(new ServiceCallPolicy(ServiceName, new CallPolicyOptions()));
            targets.Add(new("plain+policy", "plain channel + WithCallPolicy(default CallPolicyOptions)", new EchoService.EchoServiceClient(policyOnly)));
            // The channel's own share: the Mesh channel (resolver, P2C balancer, status handler) without the policy.
            targets.Add(new("mesh-no-policy", $"IMeshChannels.GetChannel(\"{ServiceName}\").CreateCallInvoker()",
                new EchoService.EchoServiceClient(channels.GetChannel(ServiceName).CreateCallInvoker())));
        }

        return new LoadTargets(plainChannel, meshHost, targets, extras);
    }

    public async ValueTask DisposeAsync()
    {
        await _meshHost.StopAsync();
        _meshHost.Dispose(); // disposes the Mesh channels with the container
        _plainChannel.Dispose();
        foreach (var extra in _extras)
        {
            extra.Dispose();
        }
    }
}
