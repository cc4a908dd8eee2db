using Grpc.AspNetCore.Server;
using Grpc.Core;
using Mesh.Resilience;
using Microsoft.AspNetCore.Http;

namespace Mesh.Tests.Resilience;

public sealed class ServerCallContextSourceTests
{
    [Fact]
    public void TryGetIncomingCall_DuringAGrpcCall_ReturnsItsDeadlineAndToken()
    {
        using var cts = new CancellationTokenSource();
        var deadline = new DateTime(2026, 11, 23, 9, 0, 1, DateTimeKind.Utc);
        var httpContext = new DefaultHttpContext();
        httpContext.Features.Set<IServerCallContextFeature>(new Feature(new FakeServerCallContext(deadline, cts.Token)));
        var source = new ServerCallContextSource(new HttpContextAccessor { HttpContext = httpContext });

        Assert.True(source.TryGetIncomingCall(out var incoming));
        Assert.Equal(deadline, incoming.Deadline);
        Assert.Equal(cts.Token, incoming.CancellationToken);
    }

    [Fact]
    public void TryGetIncomingCall_PlainHttpRequestOrNone_ReturnsFalse()
    {
        Assert.False(new ServerCallContextSource(new HttpContextAccessor { HttpContext = new DefaultHttpContext() }).TryGetIncomingCall(out _));
        Assert.False(new ServerCallContextSource(new HttpContextAccessor()).TryGetIncomingCall(out _));
    }

    private sealed class Feature(ServerCallContext context) : IServerCallContextFeature
    {
        public ServerCallContext ServerCallContext { get; } = context;
    }

    private sealed class FakeServerCallContext(DateTime deadline, CancellationToken cancellationToken) : ServerCallContext
    {
        protected override string MethodCore => "/test.Orders/Get";

        protected override string HostCore => "localhost";

        protected override string PeerCore => "ipv4:127.0.0.1:5000";

        protected override DateTime DeadlineCore => deadline;

        protected override Metadata RequestHeadersCore => [];

        protected override CancellationToken CancellationTokenCore => cancellationToken;

        protected override Metadata ResponseTrailersCore => [];

        protected override Status StatusCore { get; set; }

        protected override WriteOptions? WriteOptionsCore { get; set; }

        protected override AuthContext AuthContextCore => new(null, []);

        protected override ContextPropagationToken CreatePropagationTokenCore(ContextPropagationOptions? options) => throw new NotSupportedException();

        protected override Task WriteResponseHeadersAsyncCore(Metadata responseHeaders) => Task.CompletedTask;
    }
}
