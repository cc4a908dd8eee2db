using System.Collections.Concurrent;
using System.Net;
using Grpc.Core;
using Mesh.Testing.Grpc.V1;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Mesh.Testing.Grpc;

/// <summary>
/// A real Kestrel server on 127.0.0.1 (a free port, HTTP/2 without TLS) hosting <see cref="EchoService"/>. It counts
/// the calls and connections it receives, names itself in every reply and injects <see cref="Faults"/>.
/// </summary>
public sealed class TestGrpcServer : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, ConnectionContext> _connections = new();
    private readonly SemaphoreSlim _cancelledSignal = new(0);
    private WebApplication? _app;
    private TaskCompletionSource? _callWaiter;
    private long _calls;
    private long _cancelledCalls;
    private long _connectionsAccepted;
    private int _stopped;

    private TestGrpcServer(string name) => Name = name;

    /// <summary>Gets the instance's name, returned in every reply.</summary>
    public string Name { get; }

    /// <summary>Gets the address the server listens on: 127.0.0.1.</summary>
    public string Host { get; } = "127.0.0.1";

    /// <summary>Gets the port the server listens on.</summary>
    public int Port { get; private set; }

    /// <summary>Gets <c>http://127.0.0.1:port</c>.</summary>
    public Uri Address => new($"http://{Host}:{Port}");

    /// <summary>Gets the faults injected into calls and connections.</summary>
    public TestGrpcFaults Faults { get; } = new();

    /// <summary>Gets how many calls reached the service (failed ones included).</summary>
    public long CallCount => Interlocked.Read(ref _calls);

    /// <summary>Waits (bounded by <paramref name="cancellationToken"/>) until <paramref name="count"/> calls have reached the service.</summary>
    /// <param name="count">The <see cref="CallCount"/> to wait for.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    public async Task WaitForCallCountAsync(long count, CancellationToken cancellationToken)
    {
        while (CallCount < count)
        {
            // Publish the waiter, then look again: a call that counted itself before seeing the waiter is seen here.
            var waiter = Volatile.Read(ref _callWaiter);
            if (waiter is null)
            {
                var fresh = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                waiter = Interlocked.CompareExchange(ref _callWaiter, fresh, null) ?? fresh;
            }

            if (CallCount >= count)
            {
                return;
            }

            await waiter.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Gets how many calls the client cancelled while the service was still working on them.</summary>
    public long CancelledCalls => Interlocked.Read(ref _cancelledCalls);

    /// <summary>Waits (bounded by <paramref name="cancellationToken"/>) until the client cancels a call in progress.</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    public Task WaitForCancelledCallAsync(CancellationToken cancellationToken) => _cancelledSignal.WaitAsync(cancellationToken);

    /// <summary>Gets how many connections the server has accepted since it started.</summary>
    public long ConnectionsAccepted => Interlocked.Read(ref _connectionsAccepted);

    /// <summary>Gets how many connections are open now.</summary>
    public int OpenConnections => _connections.Count;

    /// <summary>Gets whether the server has been stopped.</summary>
    public bool IsStopped => Volatile.Read(ref _stopped) == 1;

    /// <summary>Starts a server named <paramref name="name"/> on a free loopback port.</summary>
    /// <param name="name">The instance name returned in replies.</param>
    /// <param name="cancellationToken">Stops waiting for the start.</param>
    public static async Task<TestGrpcServer> StartAsync(string name, CancellationToken cancellationToken = default)
    {
        var server = new TestGrpcServer(name);
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen =>
        {
            listen.Protocols = HttpProtocols.Http2;
            listen.Use(next => connection => server.OnConnectionAsync(connection, next));
        }));
        builder.Services.AddRouting();
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(server);
        var app = builder.Build();
        app.UseRouting();
        app.MapGrpcService<EchoServiceImpl>();
        await app.StartAsync(cancellationToken);
        server._app = app;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        server.Port = new Uri(address).Port;
        return server;
    }

    /// <summary>Closes every open connection at once (no GOAWAY), like a crash; the server keeps listening.</summary>
    public void AbortConnections()
    {
        foreach (var connection in _connections.Values)
        {
            connection.Abort(new ConnectionAbortedException("Aborted by the test."));
        }
    }

    /// <summary>Stops listening and closes connections; later calls to this port are refused.</summary>
    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 0 && _app is { } app)
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            AbortConnections(); // don't wait for clients to finish: a stopped instance is gone
            await app.StopAsync(cts.Token);
            await app.DisposeAsync();
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => new(StopAsync());

    /// <inheritdoc />
    public override string ToString() => $"{Name}@{Host}:{Port}";

    internal async Task<long> EnterCallAsync(EchoRequest request, ServerCallContext context)
    {
        var number = Interlocked.Increment(ref _calls);
        if (Volatile.Read(ref _callWaiter) is not null)
        {
            // Only while a test waits: the load harness's calls must not pay for a signal nobody reads.
            Interlocked.Exchange(ref _callWaiter, null)?.TrySetResult();
        }
        if (Faults.AbortConnections)
        {
            var httpContext = context.GetHttpContext();
            if (_connections.TryGetValue(httpContext.Connection.Id, out var connection))
            {
                connection.Abort(new ConnectionAbortedException("Aborted by the test."));
            }

            httpContext.Abort();
            throw new RpcException(new Status(StatusCode.Unavailable, $"{Name} aborted the connection"));
        }

        var delay = Faults.Delay + TimeSpan.FromMilliseconds(request.DelayMs);
        if (delay > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(delay, context.CancellationToken);
            }
            catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
            {
                Interlocked.Increment(ref _cancelledCalls);
                _cancelledSignal.Release();
                throw;
            }
        }

        var code = Faults.FailWith ?? (StatusCode)request.FailWithStatus;
        if (code != StatusCode.OK)
        {
            throw new RpcException(new Status(code, $"{Name} failed on purpose"));
        }

        return number;
    }

    private async Task OnConnectionAsync(ConnectionContext connection, ConnectionDelegate next)
    {
        Interlocked.Increment(ref _connectionsAccepted);
        if (Faults.RefuseConnections)
        {
            connection.Abort(new ConnectionAbortedException("Refused by the test."));
            return;
        }

        _connections[connection.ConnectionId] = connection;
        try
        {
            await next(connection);
        }
        finally
        {
            _connections.TryRemove(connection.ConnectionId, out _);
        }
    }
}
