using System.Net;
using System.Threading.Channels;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Mesh.Sidecar.Inbound.Internal;

/// <summary>
/// HTTP/1.1 and h2c on one cleartext port. Kestrel picks a connection's protocol by ALPN, so without TLS an
/// <c>Http1AndHttp2</c> endpoint speaks HTTP/1.1 only (dotnet/aspnetcore#56984, open in .NET 10). Instead the port is
/// bound once here and served by two Kestrel endpoints, an HTTP/1.1 one and an HTTP/2 one: each accepted connection
/// goes to the one its first bytes call for (<see cref="Http2Preface"/>). The connection itself is handed over
/// untouched, so Kestrel sees the client's address, and nothing is copied.
/// </summary>
internal sealed class SharedInboundPort(IPEndPoint requested) : IDisposable
{
    /// <summary>How long a new connection may stay silent before it is closed unclassified.</summary>
    public static readonly TimeSpan SniffTimeout = TimeSpan.FromSeconds(10);

    private readonly Channel<ConnectionContext> _http1 = Channel.CreateUnbounded<ConnectionContext>();
    private readonly Channel<ConnectionContext> _http2 = Channel.CreateUnbounded<ConnectionContext>();
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IConnectionListener? _socket;
    private IPEndPoint? _bound;
    private Task _acceptLoop = Task.CompletedTask;
    private int _bindings;
    private int _open;

    /// <summary>Gets what the configuration asked for (port 0: any free port).</summary>
    public IPEndPoint Requested { get; } = requested;

    /// <summary>Gets the bound address, once bound.</summary>
    public IPEndPoint? Bound => Volatile.Read(ref _bound);

    /// <summary>Binds the socket on the first call, and returns the listener of <paramref name="endPoint"/>'s protocol.</summary>
    public async ValueTask<IConnectionListener> BindAsync(InboundEndPoint endPoint, IConnectionListenerFactory sockets, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_socket is null)
            {
                var socket = await sockets.BindAsync(Requested, cancellationToken).ConfigureAwait(false);
                _socket = socket;
                Volatile.Write(ref _bound, (IPEndPoint)socket.EndPoint);
                _acceptLoop = Task.Run(() => AcceptLoopAsync(socket, timeProvider), CancellationToken.None);
            }

            _bindings++;
            _open++;
            return new InboundConnectionListener(endPoint, endPoint.Protocol == HttpProtocols.Http2 ? _http2.Reader : _http1.Reader);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Unbinds the socket once both endpoints are unbound; accepted connections keep running.</summary>
    public async ValueTask ReleaseAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            if (--_bindings > 0 || _socket is not { } socket)
            {
                return;
            }

            await socket.UnbindAsync(cancellationToken).ConfigureAwait(false);
            await _acceptLoop.ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Disposes the socket listener after both endpoints are disposed (Kestrel has closed their connections by then).</summary>
    public async ValueTask DisposeListenerAsync()
    {
        await _gate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            if (--_open > 0 || _socket is not { } socket)
            {
                return;
            }

            _socket = null;
            await socket.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task AcceptLoopAsync(IConnectionListener socket, TimeProvider timeProvider)
    {
        try
        {
            while (await socket.AcceptAsync().ConfigureAwait(false) is { } connection)
            {
                // Classify off the accept loop: a client that connects and says nothing must not hold up the others.
                _ = RouteAsync(connection, timeProvider);
            }
        }
        catch (ObjectDisposedException)
        {
        }
        finally
        {
            _http1.Writer.TryComplete();
            _http2.Writer.TryComplete();
            await DrainAsync(_http1.Reader).ConfigureAwait(false);
            await DrainAsync(_http2.Reader).ConfigureAwait(false);
        }
    }

    private async Task RouteAsync(ConnectionContext connection, TimeProvider timeProvider)
    {
        try
        {
            using var timeout = new CancellationTokenSource(SniffTimeout, timeProvider);
            var isHttp2 = await Http2Preface.IsHttp2Async(connection.Transport.Input, timeout.Token).ConfigureAwait(false);
            if ((isHttp2 ? _http2 : _http1).Writer.TryWrite(connection))
            {
                return;
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ConnectionResetException or IOException or InvalidOperationException)
        {
            // Silent past the timeout, reset before its first bytes, or the port is closing: nothing to serve.
        }

        await connection.DisposeAsync().ConfigureAwait(false);
    }

    private static async Task DrainAsync(ChannelReader<ConnectionContext> reader)
    {
        while (reader.TryRead(out var connection))
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _gate.Dispose();
}
