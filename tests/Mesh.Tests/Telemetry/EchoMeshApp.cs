using Mesh.Channels;
using Mesh.Discovery;
using Mesh.Testing.Grpc;
using Mesh.Testing.Grpc.V1;
using Microsoft.Extensions.DependencyInjection;

namespace Mesh.Tests.Telemetry;

/// <summary>A client app wired by <c>AddMesh</c> with the Static registry, calling <c>mesh:///echo</c> on real servers.</summary>
internal sealed class EchoMeshApp : IAsyncDisposable
{
    private readonly ServiceProvider _provider;

    public EchoMeshApp(IEnumerable<TestGrpcServer> servers, Action<ServiceOptions>? configure = null)
        : this(servers.Select(s => $"{s.Host}:{s.Port}"), configure)
    {
    }

    public EchoMeshApp(IEnumerable<string> endpoints, Action<ServiceOptions>? configure = null)
    {
        var services = new ServiceCollection().AddLogging();
        services.AddMesh(options =>
        {
            options.Registry = RegistryKind.Static;
            var echo = new ServiceOptions();
            echo.Endpoints.AddRange(endpoints);
            echo.Balancing.LoadBalancer = Mesh.Balancing.LoadBalancerKind.RoundRobin;
            configure?.Invoke(echo);
            options.Services["echo"] = echo;
        });
        _provider = services.BuildServiceProvider();
        Client = new EchoService.EchoServiceClient(Services.GetRequiredService<IMeshChannels>().CreateCallInvoker("echo"));
    }

    public IServiceProvider Services => _provider;

    public EchoService.EchoServiceClient Client { get; }

    public ValueTask DisposeAsync() => _provider.DisposeAsync();
}
