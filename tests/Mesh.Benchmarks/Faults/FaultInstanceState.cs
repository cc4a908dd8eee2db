using Grpc.Core;

namespace Mesh.Benchmarks.Faults;

/// <summary>The faults one <see cref="FaultInstance"/> applies to the calls it receives, and how many it received.</summary>
internal sealed class FaultInstanceState(string name)
{
    private long _calls;
    private volatile int _delayMs;
    private volatile int _failWith = -1;
    private volatile int _pushbackMs = -1;

    public string Name { get; } = name;

    public long Calls => Interlocked.Read(ref _calls);

    public int DelayMs { get => _delayMs; set => _delayMs = value; }

    public StatusCode? FailWith => _failWith is var code and >= 0 ? (StatusCode)code : null;

    /// <summary>Gets the <c>grpc-retry-pushback-ms</c> sent with a failure, negative for none.</summary>
    public int PushbackMs => _pushbackMs;

    public long CountCall() => Interlocked.Increment(ref _calls);

    public void SetFailure(StatusCode code, int pushbackMs)
    {
        _pushbackMs = pushbackMs;
        _failWith = (int)code;
    }

    public void Heal()
    {
        _failWith = -1;
        _pushbackMs = -1;
        _delayMs = 0;
    }
}
