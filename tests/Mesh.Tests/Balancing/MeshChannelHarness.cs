using Grpc.Core;
using Grpc.Net.Client;
using Grpc.Net.Client.Balancer;
using Mesh.Balancing;
using Mesh.Discovery;
using Mesh.Discovery.Internal;
using Mesh.Testing.Grpc;
using Mesh.Testing.Grpc.V1;
using Mesh.Tests.Discovery;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Mesh.Tests.Balancing;

/// <summary>
/// Real discovery over a scripted registry, Mesh's resolver and balancer factories in a service provider, and
/// channels addressed as <c>mesh:///echo</c>: the way an app wires a Mesh channel, with the clocks replaceable.
/// </summary>
internal sealed class MeshChannelHarness : IAsyncDisposable
{
    public const string Service = "echo";
    private readonly List<GrpcChannel> _channels = [];
    private readonly IServiceWatch _watch;
    private ServiceProvider? _provider;

    public MeshChannelHarness(TimeProvider? resolverTime = null, TimeProvider? balancerTime = null)
    {
        ResolverTime = resolverTime ?? TimeProvider.System;
        BalancerTime = balancerTime ?? TimeProvider.System;
        Discovery = new ServiceDiscovery(Watcher, TimeProvider.System, NullLogger<ServiceDiscovery>.Instance);
        // The test's own handle starts the shared watch now (channels resolve lazily, on their first call); the
        // channels' resolvers then share it, as every user of discovery in a process does.
        _watch = Discovery.Watch(ServiceQuery.For(Service));
    }

    public ScriptedWatcher Watcher { get; } = new();

    public ServiceDiscovery Discovery { get; }

    public BalancingMonitor Monitor { get; } = new();

    public BalancingOptions Options { get; } = new();

    public TimeProvider ResolverTime { get; }

    public TimeProvider BalancerTime { get; }

    /// <summary>Gets the service provider channels get (set by the first <see cref="CreateChannel"/>).</summary>
    public IServiceProvider? Provider => _provider;

    public static ServiceEndpoint Endpoint(TestGrpcServer server, params string[] tags) =>
        new(server.Name, Service, server.Host, server.Port) { Tags = [.. tags] };

    /// <summary>Reports <paramref name="servers"/> as the service's instances (waits for the watch to start first).</summary>
    public async Task PublishAsync(params TestGrpcServer[] servers) => await PublishAsync(servers.Select(s => Endpoint(s)).ToArray());

    public async Task PublishAsync(params ServiceEndpoint[] endpoints)
    {
        var observer = await Watcher.ObserverAsync(ServiceQuery.For(Service));
        var version = _watch.Current.Version;
        observer.OnEndpoints(endpoints);
        await _watch.WaitForChangeAsync(version).WaitAsync(TimeSpan.FromSeconds(10));
    }

    public EchoService.EchoServiceClient CreateClient(bool withStatusHandler = true) => new(CreateChannel(withStatusHandler));

    /// <summary>Creates a <c>mesh:///echo</c> channel; <paramref name="innerHandler"/> replaces the status handler's socket handler.</summary>
    public GrpcChannel CreateChannel(bool withStatusHandler = true, HttpMessageHandler? innerHandler = null)
    {
        if (_provider is null)
        {
            var services = new ServiceCollection();
            foreach (var factory in MeshBalancing.CreateResolverFactories(Discovery, _ => Options, ResolverTime))
            {
                services.AddSingleton(factory);
            }

            foreach (var factory in MeshBalancing.CreateLoadBalancerFactories(_ => Options, Monitor, BalancerTime))
            {
                services.AddSingleton(factory);
            }

            _provider = services.BuildServiceProvider();
        }

        var channel = GrpcChannel.ForAddress($"mesh:///{Service}", new GrpcChannelOptions
        {
            Credentials = ChannelCredentials.Insecure,
            ServiceProvider = _provider,
            HttpHandler = withStatusHandler ? MeshBalancing.CreateHttpHandler(innerHandler) : innerHandler,
        });
        _channels.Add(channel);
        return channel;
    }

    /// <summary>Waits (at most 10 s) for the channel to report <paramref name="state"/>: resolver and balancer updates are applied.</summary>
    public static async Task WaitForStateAsync(GrpcChannel channel, ConnectivityState state)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (channel.State != state)
        {
            await channel.WaitForStateChangedAsync(channel.State, cts.Token);
        }
    }

    /// <summary>
    /// Waits (at most 10 s) until the channel's balancer (the harness has one channel) matches <paramref name="done"/>:
    /// checked now and on every change the monitor reports.
    /// </summary>
    public async Task<BalancerSnapshot> WaitForBalancerAsync(Func<BalancerSnapshot, bool> done)
    {
        var matched = new TaskCompletionSource<BalancerSnapshot>(TaskCreationOptions.RunContinuationsAsynchronously);
        void Check(BalancerSnapshot snapshot)
        {
            if (done(snapshot))
            {
                matched.TrySetResult(snapshot);
            }
        }

        void OnChanged(object? sender, BalancerChangedEventArgs e) => Check(e.Snapshot);
        Monitor.BalancerChanged += OnChanged;
        try
        {
            foreach (var snapshot in Monitor.GetSnapshot())
            {
                Check(snapshot);
            }

            return await matched.Task.WaitAsync(TimeSpan.FromSeconds(10));
        }
        finally
        {
            Monitor.BalancerChanged -= OnChanged;
        }
    }

    /// <summary>Calls until every named instance has answered (the channel has connected to all), at most 200 calls.</summary>
    public static async Task WarmUpAsync(EchoService.EchoServiceClient client, params TestGrpcServer[] servers)
    {
        var pending = servers.Select(s => s.Name).ToHashSet();
        for (var i = 0; i < 200 && pending.Count > 0; i++)
        {
            var reply = await client.EchoAsync(new EchoRequest { Message = "warm-up" });
            pending.Remove(reply.Instance);
        }

        Assert.Empty(pending);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var channel in _channels)
        {
            channel.Dispose();
        }

        if (_provider is not null)
        {
            await _provider.DisposeAsync();
        }

        _watch.Dispose();
        await Discovery.DisposeAsync();
    }
}
