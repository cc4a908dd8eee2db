namespace Mesh.Testing.Grpc;

/// <summary>Several <see cref="TestGrpcServer"/> instances of one service, started and disposed together.</summary>
public sealed class TestGrpcCluster : IAsyncDisposable
{
    private TestGrpcCluster(IReadOnlyList<TestGrpcServer> servers) => Servers = servers;

    /// <summary>Gets the instances, named <c>&lt;prefix&gt;-0</c>, <c>&lt;prefix&gt;-1</c>...</summary>
    public IReadOnlyList<TestGrpcServer> Servers { get; }

    /// <summary>Gets the instance at <paramref name="index"/>.</summary>
    public TestGrpcServer this[int index] => Servers[index];

    /// <summary>Starts <paramref name="count"/> instances on free loopback ports.</summary>
    /// <param name="count">How many instances.</param>
    /// <param name="prefix">The instance name prefix.</param>
    public static async Task<TestGrpcCluster> StartAsync(int count, string prefix = "echo")
    {
        var servers = await Task.WhenAll(Enumerable.Range(0, count).Select(i => TestGrpcServer.StartAsync($"{prefix}-{i}")));
        return new TestGrpcCluster(servers);
    }

    /// <summary>Returns the instance named <paramref name="name"/>.</summary>
    public TestGrpcServer Named(string name) => Servers.Single(s => s.Name == name);

    /// <summary>Returns each instance's call count by name.</summary>
    public IReadOnlyDictionary<string, long> CallCounts() => Servers.ToDictionary(s => s.Name, s => s.CallCount);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var server in Servers)
        {
            await server.DisposeAsync();
        }
    }
}
