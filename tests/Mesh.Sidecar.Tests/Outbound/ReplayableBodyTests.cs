using Mesh.Sidecar.Outbound.Internal;

namespace Mesh.Sidecar.Tests.Outbound;

/// <summary>The request body a retry can resend: kept while within <c>MaxRetryBodyBytes</c>, streamed only past it.</summary>
public sealed class ReplayableBodyTests
{
    [Fact]
    public async Task Rewind_WithinTheLimit_ReplaysTheSameBytesThenReadsOn()
    {
        var data = Enumerable.Range(0, 100).Select(i => (byte)i).ToArray();
        await using var body = new ReplayableBody(new MemoryStream(data), limit: 100);
        var first = new byte[40];
        await body.ReadExactlyAsync(first);

        body.Rewind();
        var all = new byte[100];
        await body.ReadExactlyAsync(all);

        Assert.True(body.CanReplay);
        Assert.Equal(data[..40], first);
        Assert.Equal(data, all);
    }

    [Fact]
    public async Task Read_PastTheLimit_StreamsOnButCanNoLongerReplay()
    {
        var data = new byte[70_000];
        new Random(3).NextBytes(data);
        await using var body = new ReplayableBody(new MemoryStream(data), limit: 64 * 1024);
        using var copy = new MemoryStream();

        await body.CopyToAsync(copy);

        Assert.False(body.CanReplay);
        Assert.Equal(data, copy.ToArray());
    }
}
