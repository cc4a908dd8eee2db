using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Mesh.Benchmarks.Faults;

/// <summary>
/// A TCP forwarder between the harness's client and the Consul emulator: the registry as the caller sees it. Refused
/// closes the listening socket (connections are refused, open ones reset); hanging accepts and never forwards.
/// Instances register with the emulator directly, so their registrations and heartbeats carry on meanwhile, as with
/// an agent the caller cannot reach.
/// </summary>
internal sealed class RegistryProxy : IAsyncDisposable
{
    private readonly IPEndPoint _target;
    private readonly ConcurrentDictionary<Socket, byte> _open = new();
    private TcpListener? _listener;
    private volatile bool _hang;

    public RegistryProxy(Uri target)
    {
        _target = new IPEndPoint(IPAddress.Loopback, target.Port);
        Port = Listen(0);
    }

    public int Port { get; }

    public Uri Address => new($"http://127.0.0.1:{Port}/");

    /// <summary>Stops listening: new connections are refused, open ones reset.</summary>
    public void Refuse()
    {
        _listener?.Stop();
        _listener = null;
        DropAll();
    }

    /// <summary>Accepts connections and never answers on them (open ones are dropped first).</summary>
    public void Hang()
    {
        _hang = true;
        DropAll();
    }

    /// <summary>Forwards again.</summary>
    public void Heal()
    {
        _hang = false;
        if (_listener is null)
        {
            Listen(Port);
        }
    }

    public ValueTask DisposeAsync()
    {
        Refuse();
        return ValueTask.CompletedTask;
    }

    private int Listen(int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Start();
        _listener = listener;
        _ = AcceptAsync(listener);
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task AcceptAsync(TcpListener listener)
    {
        while (true)
        {
            Socket client;
            try
            {
                client = await listener.AcceptSocketAsync();
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _open[client] = 0;
            if (!_hang)
            {
                _ = ForwardAsync(client);
            }
        }
    }

    private async Task ForwardAsync(Socket client)
    {
        var upstream = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        _open[upstream] = 0;
        try
        {
            await upstream.ConnectAsync(_target);
            await Task.WhenAny(PumpAsync(client, upstream), PumpAsync(upstream, client));
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
        }
        finally
        {
            Close(client);
            Close(upstream);
        }
    }

    private static async Task PumpAsync(Socket from, Socket to)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await from.ReceiveAsync(buffer)) > 0)
            {
                await to.SendAsync(buffer.AsMemory(0, read));
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
        }
    }

    private void DropAll()
    {
        foreach (var socket in _open.Keys)
        {
            Close(socket);
        }
    }

    private void Close(Socket socket)
    {
        _open.TryRemove(socket, out _);
        try
        {
            socket.LingerState = new LingerOption(true, 0); // reset, as a dead agent's host does
            socket.Dispose();
        }
        catch (ObjectDisposedException)
        {
        }
    }
}
