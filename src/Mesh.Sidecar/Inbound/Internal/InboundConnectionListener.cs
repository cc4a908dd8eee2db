using System.Net;
using System.Threading.Channels;
using Microsoft.AspNetCore.Connections;

namespace Mesh.Sidecar.Inbound.Internal;

/// <summary>What Kestrel accepts from for one <see cref="InboundEndPoint"/>: the shared port's connections of one protocol.</summary>
internal sealed class InboundConnectionListener(InboundEndPoint endPoint, ChannelReader<ConnectionContext> connections) : IConnectionListener
{
    private readonly CancellationTokenSource _unbound = new();

    public EndPoint EndPoint => endPoint;

    public async ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _unbound.Token);
        try
        {
            while (await connections.WaitToReadAsync(linked.Token).ConfigureAwait(false))
            {
                if (connections.TryRead(out var connection))
                {
                    return connection;
                }
            }
        }
        catch (OperationCanceledException) when (_unbound.IsCancellationRequested)
        {
        }

        return null; // unbound or the port closed: Kestrel stops accepting here
    }

    public async ValueTask UnbindAsync(CancellationToken cancellationToken = default)
    {
        await _unbound.CancelAsync().ConfigureAwait(false);
        await endPoint.Port.ReleaseAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_unbound.IsCancellationRequested)
        {
            await UnbindAsync().ConfigureAwait(false);
        }

        await endPoint.Port.DisposeListenerAsync().ConfigureAwait(false);
        _unbound.Dispose();
    }
}
