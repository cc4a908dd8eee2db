using System.Buffers;

namespace Mesh.Sidecar.Outbound.Internal;

/// <summary>
/// The request body as the forwarder reads it, streamed as it arrives (a duplex gRPC call is never held back) while the
/// first <c>MaxRetryBodyBytes</c> are kept so a retry can send them again, as Linkerd does. Past the limit nothing more
/// is kept and the request can no longer be retried. <see cref="Rewind"/> replays the kept bytes, then reads on from
/// the caller.
/// </summary>
internal sealed class ReplayableBody(Stream source, int limit) : Stream
{
    private byte[]? _buffer = limit > 0 ? ArrayPool<byte>.Shared.Rent(Math.Min(limit, 4096)) : null;
    private int _kept;
    private int _position;

    /// <summary>Gets whether every byte read so far was kept: a retry can resend the body.</summary>
    public bool CanReplay => _buffer is not null;

    /// <summary>Starts the body again from its first byte (only while <see cref="CanReplay"/>).</summary>
    public void Rewind() => _position = 0;

    public override async ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken cancellationToken = default)
    {
        if (_buffer is not null && _position < _kept)
        {
            var replayed = Math.Min(destination.Length, _kept - _position);
            _buffer.AsMemory(_position, replayed).CopyTo(destination);
            _position += replayed;
            return replayed;
        }

        var read = await source.ReadAsync(destination, cancellationToken).ConfigureAwait(false);
        Keep(destination.Span[..read]);
        return read;
    }

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private void Keep(ReadOnlySpan<byte> data)
    {
        if (_buffer is null || data.IsEmpty)
        {
            return;
        }

        if (_kept + data.Length > limit)
        {
            Release(); // too big to replay: from now on the body only streams
            return;
        }

        if (_kept + data.Length > _buffer.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Min(limit, Math.Max(_buffer.Length * 2, _kept + data.Length)));
            _buffer.AsSpan(0, _kept).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }

        data.CopyTo(_buffer.AsSpan(_kept));
        _kept += data.Length;
        _position = _kept;
    }

    private void Release()
    {
        if (_buffer is { } buffer)
        {
            _buffer = null;
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    protected override void Dispose(bool disposing)
    {
        Release();
        base.Dispose(disposing);
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
