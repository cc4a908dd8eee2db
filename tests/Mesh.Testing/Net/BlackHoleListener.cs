using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Mesh.Testing.Net;

/// <summary>
/// A loopback port that accepts connections and never answers on them (it reads and drops what arrives): a hung
/// process whose kernel still accepts, as a frozen or deadlocked server looks to its callers.
/// </summary>
public sealed class BlackHoleListener : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly ConcurrentBag<Socket> _accepted = [];
    private readonly CancellationTokenSource _stop = new();

    /// <summary>Starts listening.</summary>
    public BlackHoleListener()
    {
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _ = AcceptAsync();
    }

    /// <summary>Gets the port (on 127.0.0.1).</summary>
    public int Port { get; }

    /// <summary>Gets how many connections have been accepted.</summary>
    public int Accepted => _accepted.Count;

    /// <inheritdoc />
    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        foreach (var socket in _accepted)
        {
            socket.Dispose();
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var socket = await _listener.AcceptSocketAsync(_stop.Token).ConfigureAwait(false);
                _accepted.Add(socket);
                _ = DrainAsync(socket);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    private async Task DrainAsync(Socket socket)
    {
        var buffer = new byte[4096];
        try
        {
            while (await socket.ReceiveAsync(buffer, _stop.Token).ConfigureAwait(false) > 0)
            {
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }
}
