using Grpc.Core;

namespace Mesh.Benchmarks.Faults;

/// <summary>One call of the open-loop load: when it was sent (Stopwatch ticks), when it ended, how, and who answered.</summary>
internal sealed class CallRecord(long sent)
{
    public long Sent { get; } = sent;

    public long Ended { get; private set; }

    public StatusCode Status { get; private set; }

    public string? Instance { get; private set; }

    public string? Detail { get; private set; }

    public bool IsDone => Volatile.Read(ref _done) == 1;

    private int _done;

    public TimeSpan Duration => TimeSpan.FromSeconds((Ended - Sent) / (double)System.Diagnostics.Stopwatch.Frequency);

    public void Complete(long ended, StatusCode status, string? instance, string? detail)
    {
        Ended = ended;
        Status = status;
        Instance = instance;
        Detail = detail;
        Volatile.Write(ref _done, 1);
    }
}
