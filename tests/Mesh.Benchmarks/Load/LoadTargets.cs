using Grpc.Core;
using Grpc.Net.Client;
using Grpc.Net.Client.Balancer;
using Grpc.Net.Client.Configuration;
using Mesh.Channels;
using Mesh.Resilience;
using Mesh.Testing.Consul;
using Mesh.Testing.Grpc;
using Mesh.Testing.Grpc.V1;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Mesh.Benchmarks.Load;

/// <summary>
/// The clients under test, all to the same <see cref="TestGrpcServer"/>: a plain channel to its address, and a Mesh
/// channel (<c>consul:///echo</c>: the instance registered in an in-process <see cref="ConsulEmulator"/>, default
/// balancing and policy) built the way an app gets it, through <c>services.AddMesh(configuration)</c> and
/// <see cref="IMeshChannels"/>. With <c>--breakdown</c>, grpc-dotnet's balanced channel with its built-in retry policy
/// (<c>grpc-retry</c>, the peer users would pick instead), and four more split the Mesh overhead into its parts:
/// grpc-dotnet's own balanced channel (<c>static:///</c>, no Mesh code), a 30 s gRPC deadline set by the caller on
/// the plain channel (what the policy's default bound would cost if it were a deadline, which is why it is not), the
/// whole policy over the plain channel, and the Mesh channel (resolver, balancer, status handler) without the policy.
/// </summary>
internal sealed class LoadTargets : IAsyncDisposable
{
    public const string ServiceName = "echo";

    private readonly GrpcChannel _plainChannel;
    private readonly ConsulEmulator _consul;
    private readonly IHost _meshHost;
    private readonly List<IDisposable> _extras;

    private LoadTargets(GrpcChannel plainChannel, ConsulEmulator consul, IHost meshHost, IReadOnlyList<LoadTarget> targets, List<IDisposable> extras)
    {
        _plainChannel = plainChannel;
        _consul = consul;
        _meshHost = meshHost;
        All = targets;
        _extras = extras;
    }

    /// <summary>Gets the targets, the plain channel first (the baseline of every ratio).</summary>
    public IReadOnlyList<LoadTarget> All { get; }

    public static async Task<LoadTargets> CreateAsync(TestGrpcServer server, bool breakdown, IReadOnlyList<string> only)
    {
        // h2c: an http:// address is all a plain channel needs (no credentials, default SocketsHttpHandler).
        var plainChannel = GrpcChannel.ForAddress(server.Address);

        // The instance is registered (passing) in a Consul emulator in this process; once the channel has resolved
        // it, the emulator only holds the discovery watch's blocking query open, so it takes no time from the load.
        var consul = await ConsulEmulator.StartNewAsync();
        consul.RegisterService(server.Name, ServiceName, server.Port, server.Host);
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Mesh:Registry"] = "Consul",
            ["Mesh:Consul:Address"] = consul.Address.ToString(),
        });
        builder.Services.AddMesh(builder.Configuration);
        var meshHost = builder.Build();
        await meshHost.StartAsync(); // validates the options, as an app's start would
        var channels = meshHost.Services.GetRequiredService<IMeshChannels>();

        var targets = new List<LoadTarget>
        {
            new("plain", $"GrpcChannel.ForAddress(\"{server.Address}\")", new EchoService.EchoServiceClient(plainChannel)),
            new("mesh", $"IMeshChannels.CreateCallInvoker(\"{ServiceName}\", \"consul\"): consul:///{ServiceName}, default P2C + default policy",
                new EchoService.EchoServiceClient(channels.CreateCallInvoker(ServiceName, "consul"))),
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
            // The peer users would pick instead of Mesh: the same balanced channel with grpc-dotnet's built-in retry
            // policy (its defaults but for the status list), so every call runs through its retry machinery.
            var grpcRetry = GrpcChannel.ForAddress($"static:///{ServiceName}", new GrpcChannelOptions
            {
                ServiceProvider = services,
                Credentials = ChannelCredentials.Insecure,
                ServiceConfig = new ServiceConfig
                {
                    MethodConfigs =
                    {
                        new MethodConfig
                        {
                            Names = { MethodName.Default },
                            RetryPolicy = new RetryPolicy
                            {
                                MaxAttempts = 3,
                                InitialBackoff = TimeSpan.FromMilliseconds(100),
                                MaxBackoff = TimeSpan.FromSeconds(1),
                                BackoffMultiplier = 2,
                                RetryableStatusCodes = { StatusCode.Unavailable },
                            },
                        },
                    },
                },
            });
            extras.Add(grpcRetry);
            targets.Add(new("grpc-retry", $"static:///{ServiceName} as grpc-lb + ServiceConfig MethodConfig RetryPolicy (3 attempts, UNAVAILABLE)",
                new EchoService.EchoServiceClient(grpcRetry)));
            // What a 30 s gRPC deadline costs in gRPC itself (client deadline timer, grpc-timeout header, server
            // deadline timer): why the policy's default bound is a local fallback timeout, not a deadline.
            targets.Add(new("plain+deadline", "plain channel, caller sets deadline = now + 30 s (a gRPC deadline as long as the default fallback)",
                new EchoService.EchoServiceClient(plainChannel), CallPolicyDefaults.FallbackTimeout));
            // The policy's own share: the same plain channel, wrapped in a policy with default options.
            var policyOnly = plainChannel.CreateCallInvoker().WithCallPolicy(new ServiceCallPolicy(ServiceName, new CallPolicyOptions()));
            targets.Add(new("plain+policy", "plain channel + WithCallPolicy(default CallPolicyOptions)", new EchoService.EchoServiceClient(policyOnly)));
            // The channel's own share: the Mesh channel (resolver, P2C balancer, status handler) without the policy.
            targets.Add(new("mesh-no-policy", $"IMeshChannels.GetChannel(\"{ServiceName}\", \"consul\").CreateCallInvoker()",
                new EchoService.EchoServiceClient(channels.GetChannel(ServiceName, "consul").CreateCallInvoker())));
        }

        if (only.Count > 0)
        {
            var unknown = only.Where(name => !targets.Exists(t => t.Name == name)).ToList();
            if (unknown.Count > 0)
            {
                throw new ArgumentException($"--only: no target named {string.Join(", ", unknown)} (targets: {string.Join(", ", targets.Select(t => t.Name))}; some need --breakdown)");
            }

            targets.RemoveAll(t => !only.Contains(t.Name, StringComparer.Ordinal));
        }

        return new LoadTargets(plainChannel, consul, meshHost, targets, extras);
    }

    public async ValueTask DisposeAsync()
    {
        await _meshHost.StopAsync();
        _meshHost.Dispose(); // disposes the Mesh channels with the container
        _plainChannel.Dispose();
        await _consul.DisposeAsync();
        foreach (var extra in _extras)
        {
            extra.Dispose();
        }
    }
}
