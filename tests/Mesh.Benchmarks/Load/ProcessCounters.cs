using System.Diagnostics;

namespace Mesh.Benchmarks.Load;

/// <summary>
/// Process-wide counters read around a measured window: a cheap profile that needs no tracer. Allocations, work items
/// and lock contentions per call barely move with machine noise, so they show where a target's extra cost goes.
/// </summary>
internal readonly record struct ProcessCounters(long AllocatedBytes, long WorkItems, long LockContentions, int Gen0, int Gen1, int Gen2, TimeSpan Cpu)
{
    public static ProcessCounters Read()
    {
        using var process = Process.GetCurrentProcess();
        return new(
            GC.GetTotalAllocatedBytes(precise: false),
            ThreadPool.CompletedWorkItemCount,
            Monitor.LockContentionCount,
            GC.CollectionCount(0),
            GC.CollectionCount(1),
            GC.CollectionCount(2),
            process.TotalProcessorTime);
    }

    public static ProcessCounters operator -(ProcessCounters after, ProcessCounters before) => new(
        after.AllocatedBytes - before.AllocatedBytes,
        after.WorkItems - before.WorkItems,
        after.LockContentions - before.LockContentions,
        after.Gen0 - before.Gen0,
        after.Gen1 - before.Gen1,
        after.Gen2 - before.Gen2,
        after.Cpu - before.Cpu);

    public static ProcessCounters operator +(ProcessCounters left, ProcessCounters right) => new(
        left.AllocatedBytes + right.AllocatedBytes,
        left.WorkItems + right.WorkItems,
        left.LockContentions + right.LockContentions,
        left.Gen0 + right.Gen0,
        left.Gen1 + right.Gen1,
        left.Gen2 + right.Gen2,
        left.Cpu + right.Cpu);
}
