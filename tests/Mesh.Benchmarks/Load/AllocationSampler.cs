using System.Diagnostics.Tracing;

namespace Mesh.Benchmarks.Load;

/// <summary>
/// A sampling allocation profiler with no tools to install (<c>--allocations</c>): the runtime raises an
/// AllocationTick event about every 100 KB allocated, naming the type of the object that crossed the line, so the
/// bytes attributed to each type are proportional to what it allocates. Events arrive late and on another thread,
/// so they are kept with their timestamps and attributed to segments by time afterwards.
/// </summary>
internal sealed class AllocationSampler : EventListener
{
    private const string RuntimeSource = "Microsoft-Windows-DotNETRuntime";
    private const EventKeywords GcKeyword = (EventKeywords)0x1;
    private readonly Lock _lock = new();
    private readonly List<(DateTime At, string Type, long Bytes)> _samples = [];

    /// <summary>Returns the sampled bytes per type between two UTC times.</summary>
    public Dictionary<string, long> BytesByType(DateTime fromUtc, DateTime toUtc)
    {
        var result = new Dictionary<string, long>(StringComparer.Ordinal);
        lock (_lock)
        {
            foreach (var (at, type, bytes) in _samples)
            {
                if (at >= fromUtc && at < toUtc)
                {
                    result[type] = result.GetValueOrDefault(type) + bytes;
                }
            }
        }

        return result;
    }

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == RuntimeSource)
        {
            EnableEvents(eventSource, EventLevel.Verbose, GcKeyword);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (eventData.EventName?.StartsWith("GCAllocationTick", StringComparison.Ordinal) != true || eventData.Payload is not { } payload || eventData.PayloadNames is not { } names)
        {
            return;
        }

        var typeIndex = names.IndexOf("TypeName");
        var amountIndex = names.IndexOf("AllocationAmount64");
        if (typeIndex < 0 || amountIndex < 0)
        {
            return;
        }

        var type = payload[typeIndex] as string ?? "?";
        var bytes = Convert.ToInt64(payload[amountIndex], System.Globalization.CultureInfo.InvariantCulture);
        lock (_lock)
        {
            _samples.Add((eventData.TimeStamp.ToUniversalTime(), type, bytes));
        }
    }
}
