using Grpc.Core;

namespace Mesh.Testing.Grpc;

/// <summary>
/// The faults one <see cref="TestGrpcServer"/> injects into the calls it receives. Settable while the server runs;
/// each call reads the settings once when it arrives.
/// </summary>
public sealed class TestGrpcFaults
{
    private int _failWith = -1;
    private long _delayTicks;
    private volatile bool _abortConnections;
    private volatile bool _refuseConnections;

    /// <summary>Gets or sets the status every call fails with (null: answer normally).</summary>
    public StatusCode? FailWith
    {
        get => Volatile.Read(ref _failWith) is var code and >= 0 ? (StatusCode)code : null;
        set => Volatile.Write(ref _failWith, value is { } code ? (int)code : -1);
    }

    /// <summary>Gets or sets how long every call waits before answering (or failing).</summary>
    public TimeSpan Delay
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _delayTicks));
        set => Interlocked.Exchange(ref _delayTicks, value.Ticks);
    }

    /// <summary>
    /// Gets or sets whether a call closes the connection it arrived on (abort, no response): the client sees a
    /// transport error, like a crashed process.
    /// </summary>
    public bool AbortConnections
    {
        get => _abortConnections;
        set => _abortConnections = value;
    }

    /// <summary>Gets or sets whether new connections are closed as soon as they are accepted.</summary>
    public bool RefuseConnections
    {
        get => _refuseConnections;
        set => _refuseConnections = value;
    }

    /// <summary>Clears every fault.</summary>
    public void Heal()
    {
        FailWith = null;
        Delay = TimeSpan.Zero;
        AbortConnections = false;
        RefuseConnections = false;
    }
}
