using System.Net;
using Mesh.Sidecar.Tests.TestSupport;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Yarp.ReverseProxy.Forwarder;

namespace Mesh.Sidecar.Tests.Outbound;

/// <summary>
/// YARP reports <c>RequestCanceled</c> / <c>RequestBodyCanceled</c> when the send was cancelled, which also happens
/// when the instance's connection dies under the request (issue 11's kill -9 through the sidecar: a call sent 50 ms
/// after the kill was answered "the caller cancelled the call" and not retried). Only a caller that really left is
/// the caller's doing; otherwise the attempt is the instance's failure and an idempotent call is retried elsewhere.
/// </summary>
public sealed class OutboundDestinationCancelTests
{
    [Theory]
    [InlineData(ForwarderError.RequestCanceled)]
    [InlineData(ForwarderError.RequestBodyCanceled)]
    public async Task ACancelledSendTheCallerDidNotCause_IsRetriedOnAnotherInstance(ForwarderError error)
    {
        await using var dying = await PythonHttpApp.StartAsync();
        await using var other = await PythonHttpApp.StartAsync();
        var forwarder = new DyingDestinationForwarder($"http://127.0.0.1:{dying.Port}/", error);
        await using var caller = await CallerSidecar.StartAsync([dying.Port, other.Port], new()
        {
            ["Mesh:Services:orders:Balancing:LoadBalancer"] = "RoundRobin", // of two calls, one goes to the dying instance first
        }, configure: builder => builder.Services.AddSingleton<IHttpForwarder>(forwarder));

        using var first = await caller.Http.GetAsync(new Uri("/hello", UriKind.Relative));
        using var second = await caller.Http.GetAsync(new Uri("/hello", UriKind.Relative));

        Assert.InRange(forwarder.Failed, 1, 2); // a retry moves round robin on: the second call may meet it first too
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(2, await other.HitsAsync());
    }

    /// <summary>YARP's forwarder, except that every send to <paramref name="dying"/> ends as YARP reports a connection that died under it.</summary>
    private sealed class DyingDestinationForwarder(string dying, ForwarderError error) : IHttpForwarder
    {
        private readonly IHttpForwarder _inner = new ServiceCollection().AddLogging().AddHttpForwarder().BuildServiceProvider().GetRequiredService<IHttpForwarder>();
        private int _failed;

        public int Failed => Volatile.Read(ref _failed);

        public ValueTask<ForwarderError> SendAsync(HttpContext context, string destinationPrefix, HttpMessageInvoker httpClient, ForwarderRequestConfig requestConfig, HttpTransformer transformer) =>
            SendAsync(context, destinationPrefix, httpClient, requestConfig, transformer, CancellationToken.None);

        public ValueTask<ForwarderError> SendAsync(HttpContext context, string destinationPrefix, HttpMessageInvoker httpClient, ForwarderRequestConfig requestConfig, HttpTransformer transformer, CancellationToken cancellationToken)
        {
            if (destinationPrefix == dying)
            {
                Interlocked.Increment(ref _failed);
                return ValueTask.FromResult(error);
            }

            return _inner.SendAsync(context, destinationPrefix, httpClient, requestConfig, transformer, cancellationToken);
        }
    }
}
