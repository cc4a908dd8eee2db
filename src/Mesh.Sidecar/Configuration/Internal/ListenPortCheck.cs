using System.Net.Sockets;

namespace Mesh.Sidecar.Configuration.Internal;

/// <summary>
/// Before Kestrel binds, tries each fixed listen port, so a port another process holds stops the start with the key
/// that asked for it (Kestrel's own error names only the address, and comes after part of the sidecar is bound).
/// </summary>
internal static class ListenPortCheck
{
    public static void ThrowIfUnavailable(IEnumerable<ListenAddress> listeners)
    {
        foreach (var listener in listeners.Where(l => l.Port != 0))
        {
            using var socket = new Socket(listener.EndPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                socket.Bind(listener.EndPoint);
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AddressAlreadyInUse)
            {
                throw new SidecarStartupException(
                    $"{listener.Key}: port {listener.Port} is already in use ({listener}); stop what holds it or set {listener.Key} to another port.", ex);
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AddressNotAvailable)
            {
                throw new SidecarStartupException($"{listener.Key}: {listener.EndPoint.Address} is not an address of this machine ({listener}).", ex);
            }
        }
    }
}
