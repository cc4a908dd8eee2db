using System.Diagnostics;
using Mesh.Resilience;

namespace Mesh.Benchmarks.Faults;

/// <summary>The client's attempts, by start time (the policy's own hook), so a window's attempts and calls share one clock.</summary>
internal sealed class AttemptCounter : ICallPolicyObserver
{
    private readonly List<long> _started = new(1 << 16);
    private readonly Lock _lock = new();

    public void OnAttemptStarted(in AttemptStartedArguments arguments)
    {
        var now = Stopwatch.GetTimestamp();
        lock (_lock)
        {
            _started.Add(now);
        }
    }

    /// <summary>Returns how many attempts started in [from, to).</summary>
    public int Count(long from, long to)
    {
        lock (_lock)
        {
            return _started.Count(t => t >= from && t < to);
        }
    }
}
