using System.Net;
using System.Net.Sockets;

namespace Mesh.Sidecar.Health.Internal;

/// <summary>Healthy when a TCP connection to the app port opens: the least an app must do, and all some can.</summary>
internal sealed class TcpAppProbe(int port) : IAppProbe
{
    public string Description => $"TCP connect to 127.0.0.1:{port}";

    public async Task<ProbeResult> ProbeAsync(CancellationToken cancellationToken)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), cancellationToken).ConfigureAwait(false);
            return new(true, $"{Description}: connected");
        }
        catch (SocketException ex)
        {
            return new(false, $"{Description}: {ex.SocketErrorCode}");
        }
    }
}
