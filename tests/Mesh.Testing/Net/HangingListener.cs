using System.Net;
using System.Net.Sockets;

namespace Mesh.Testing.Net;

/// <summary>
/// A loopback port whose connects never complete: a listening socket with a backlog of one that never accepts,
/// filled by connections of its own, so the kernel drops further SYNs and a connect waits until its caller gives up
/// (what a host behind a dropping firewall looks like, with no root needed).
/// </summary>
public sealed class HangingListener : IDisposable
{
    private readonly Socket _listener = new(SocketType.Stream, ProtocolType.Tcp);
    private readonly List<Socket> _fillers = [];

    /// <summary>Opens the port and fills its accept queue.</summary>
    public HangingListener()
    {
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(1);
        Port = ((IPEndPoint)_listener.LocalEndPoint!).Port;
        // Linux queues backlog + 1 connections; the third filler's SYN is already dropped (its connect hangs too).
        for (var i = 0; i < 3; i++)
        {
            var filler = new Socket(SocketType.Stream, ProtocolType.Tcp);
            _ = filler.ConnectAsync(new IPEndPoint(IPAddress.Loopback, Port)).ContinueWith(static _ => { }, TaskScheduler.Default);
            _fillers.Add(filler);
        }
    }

    /// <summary>Gets the port (on 127.0.0.1).</summary>
    public int Port { get; }

    /// <summary>Returns whether a connect to the port is still pending after <paramref name="wait"/>.</summary>
    /// <param name="wait">How long to try.</param>
    public async Task<bool> ConnectHangsAsync(TimeSpan wait)
    {
        using var probe = new Socket(SocketType.Stream, ProtocolType.Tcp);
        using var timeout = new CancellationTokenSource(wait);
        try
        {
            await probe.ConnectAsync(new IPEndPoint(IPAddress.Loopback, Port), timeout.Token).ConfigureAwait(false);
            return false;
        }
        catch (OperationCanceledException)
        {
            return true;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var filler in _fillers)
        {
            filler.Dispose();
        }

        _listener.Dispose();
    }
}
