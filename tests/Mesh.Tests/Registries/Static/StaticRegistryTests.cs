using Mesh.Discovery;
using Mesh.Tests.Discovery;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Mesh.Tests.Registries.Static;

public sealed class StaticRegistryTests
{
    [Fact]
    public async Task Watch_ConfiguredEndpoints_ThenConfigurationReload_PublishesNewSet()
    {
        var source = new ReloadableSource(new()
        {
            ["Mesh:Registry"] = "Static",
            ["Mesh:Services:orders:Endpoints:0"] = "127.0.0.1:5001",
            ["Mesh:Services:orders:Endpoints:1"] = "http://localhost:5002",
        });
        var configuration = new ConfigurationBuilder().Add(source).Build();
        await using var provider = new ServiceCollection().AddLogging().AddMesh(configuration).BuildServiceProvider();
        using var watch = provider.GetRequiredService<IServiceDiscovery>().Watch(ServiceQuery.For("orders"));

        var first = await watch.WaitForChangeAsync(0).WaitAsync(TimeSpan.FromSeconds(10));
        source.Change("Mesh:Services:orders:Endpoints:1", "[::1]:5003");
        var second = await watch.WaitForChangeAsync(first.Version).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(["127.0.0.1:5001", "localhost:5002"], first.Endpoints.Select(e => e.Authority).Order());
        Assert.Equal(["[::1]:5003", "127.0.0.1:5001"], second.Endpoints.Select(e => e.Authority).Order());
    }

    [Fact]
    public async Task Watch_UnknownService_ResolvesEmpty()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Mesh:Registry"] = "Static" }).Build();
        await using var provider = new ServiceCollection().AddLogging().AddMesh(configuration).BuildServiceProvider();
        using var watch = provider.GetRequiredService<IServiceDiscovery>().Watch(ServiceQuery.For("nobody"));

        var snapshot = await watch.WaitForChangeAsync(0).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(snapshot.HasResolved);
        Assert.Empty(snapshot.Endpoints);
    }

    /// <summary>An in-memory configuration source whose changes raise reload tokens, like a watched appsettings.json.</summary>
    private sealed class ReloadableSource(Dictionary<string, string?> data) : ConfigurationProvider, IConfigurationSource
    {
        public override void Load() => Data = new Dictionary<string, string?>(data, StringComparer.OrdinalIgnoreCase);

        public IConfigurationProvider Build(IConfigurationBuilder builder) => this;

        public void Change(string key, string value)
        {
            Data[key] = value;
            OnReload();
        }
    }
}
