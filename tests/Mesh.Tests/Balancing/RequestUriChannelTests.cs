using System.Collections.Concurrent;
using Grpc.Core;
using Mesh.Balancing;
using Mesh.Testing.Grpc;
using Mesh.Testing.Grpc.V1;

namespace Mesh.Tests.Balancing;

/// <summary>
/// The picker puts a per-instance cached request URI on each call (so grpc-dotnet has none to rebuild): what goes
/// on the wire must still name the instance the call was sent to, whatever the interleaving of picks.
/// </summary>
public sealed class RequestUriChannelTests
{
    [Theory]
    [InlineData(LoadBalancerKind.RoundRobin)]
    [InlineData(LoadBalancerKind.PowerOfTwoChoices)]
    public async Task ConcurrentCalls_OverThreeInstances_EveryRequestNamesTheInstanceThatAnswersIt(LoadBalancerKind kind)
    {
        await using var cluster = await TestGrpcCluster.StartAsync(3);
        await using var harness = new MeshChannelHarness();
        harness.Options.LoadBalancer = kind;
        var recorder = new UriRecorder { InnerHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true } };
        var client = new EchoService.EchoServiceClient(harness.CreateChannel(innerHandler: recorder));
        await harness.PublishAsync([.. cluster.Servers]);
        await MeshChannelHarness.WarmUpAsync(client, [.. cluster.Servers]);
        var before = cluster.CallCounts();
        recorder.Sent.Clear();

        // Two methods interleaved: each has its own URI per instance.
        await Task.WhenAll(Enumerable.Range(0, 300).Select(i => i % 2 == 0 ? EchoAsync(client, i) : StreamAsync(client, i)));

        Assert.Equal(300, recorder.Sent.Count);
        Assert.All(recorder.Sent, uri =>
        {
            Assert.Equal("http", uri.Scheme);
            Assert.Equal("127.0.0.1", uri.Host);
        });
        var paths = recorder.Sent.CountBy(uri => uri.AbsolutePath).ToDictionary();
        Assert.Equal(150, paths.GetValueOrDefault("/mesh.testing.v1.EchoService/Echo"));
        Assert.Equal(150, paths.GetValueOrDefault("/mesh.testing.v1.EchoService/ServerStream"));
        // Each instance answered exactly the calls whose URI named it: a cached URI never rode another instance's connection.
        var sentTo = recorder.Sent.CountBy(uri => uri.Port).ToDictionary();
        Assert.All(cluster.Servers, s => Assert.Equal(s.CallCount - before[s.Name], sentTo.GetValueOrDefault(s.Port)));
        Assert.Equal(3, sentTo.Count);
    }

    private static async Task EchoAsync(EchoService.EchoServiceClient client, int i)
    {
        var reply = await client.EchoAsync(new EchoRequest { Message = $"m{i}" });
        Assert.Equal($"m{i}", reply.Message);
    }

    private static async Task StreamAsync(EchoService.EchoServiceClient client, int i)
    {
        using var call = client.ServerStream(new EchoRequest { Message = $"s{i}", Count = 1 });
        var replies = await call.ResponseStream.ReadAllAsync().ToListAsync();
        Assert.Equal($"s{i}", Assert.Single(replies).Message);
    }

    /// <summary>Records each request's URI as the socket handler receives it.</summary>
    private sealed class UriRecorder : DelegatingHandler
    {
        public ConcurrentQueue<Uri> Sent { get; } = new();

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Sent.Enqueue(request.RequestUri!);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
