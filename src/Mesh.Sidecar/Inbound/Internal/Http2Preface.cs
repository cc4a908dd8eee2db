using System.Buffers;
using System.IO.Pipelines;

namespace Mesh.Sidecar.Inbound.Internal;

/// <summary>
/// Tells an h2c prior-knowledge connection from an HTTP/1.1 one by its first bytes (RFC 9113 §3.4: the client
/// preface <c>PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n</c>), reading no more than it needs and consuming nothing.
/// </summary>
internal static class Http2Preface
{
    private static ReadOnlySpan<byte> Bytes => "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8;

    /// <summary>
    /// Returns whether the connection opens with the HTTP/2 preface. An HTTP/1.1 request differs within its first
    /// bytes (no method starts with "PRI "), so most connections are decided on the first read.
    /// </summary>
    public static async ValueTask<bool> IsHttp2Async(PipeReader input, CancellationToken cancellationToken)
    {
        var needed = 1;
        while (true)
        {
            // ReadAtLeastAsync, not "examine everything and read again": the examined position can never move back,
            // and the HTTP server that reads next must see these bytes as never looked at.
            var result = await input.ReadAtLeastAsync(needed, cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            var verdict = Match(buffer);
            input.AdvanceTo(buffer.Start);
            if (verdict is { } isHttp2)
            {
                return isHttp2;
            }

            if (result.IsCompleted || result.IsCanceled)
            {
                return false; // closed mid-preface: let HTTP/1.1 answer (it closes the connection)
            }

            needed = (int)buffer.Length + 1;
        }
    }

    /// <summary>True: the whole preface; false: not the preface; null: a prefix of it so far.</summary>
    internal static bool? Match(in ReadOnlySequence<byte> buffer)
    {
        var length = (int)Math.Min(buffer.Length, Bytes.Length);
        Span<byte> head = stackalloc byte[24];
        buffer.Slice(0, length).CopyTo(head);
        if (!Bytes[..length].SequenceEqual(head[..length]))
        {
            return false;
        }

        return length == Bytes.Length ? true : null;
    }
}
