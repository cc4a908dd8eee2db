namespace Mesh.Internal;

/// <summary>
/// A monotonic clock for bookkeeping that every call reads but that only needs tens of milliseconds: the buckets of
/// rolling windows and the slots of the fallback timeout. On the system clock it reads
/// <see cref="Environment.TickCount64"/> (CLOCK_MONOTONIC_COARSE on Linux: about 7 ns a read here, against 26 ns for
/// <see cref="TimeProvider.GetTimestamp"/>, and a call read the clock three times for these alone); on any other
/// provider (the tests' fake clock) it reads that provider, so fake time drives it as before.
/// </summary>
internal readonly struct CoarseClock
{
    /// <summary>
    /// The finest step the coarse path is used for. The coarse clock lags by up to one kernel tick (1–10 ms), at most
    /// a fifth of the finest bucket (a 500 ms breaker window's 50 ms), on top of the bucket's own granularity.
    /// </summary>
    private static readonly TimeSpan FinestCoarseStep = TimeSpan.FromMilliseconds(50);

    /// <summary>The most the coarse clock trails the precise one: a kernel tick, 10 ms at HZ = 100, the coarsest.</summary>
    private static readonly TimeSpan CoarseLag = TimeSpan.FromMilliseconds(10);

    // Null: Environment.TickCount64, in milliseconds.
    private readonly TimeProvider? _provider;

    private CoarseClock(TimeProvider? provider, long frequency)
    {
        _provider = provider;
        Frequency = frequency;
    }

    /// <summary>Gets the most this clock's reading trails the time (zero when it is the provider's own): what a deadline derived from it must add so it never fires early.</summary>
    public TimeSpan MaxLag => _provider is null ? CoarseLag : TimeSpan.Zero;

    /// <summary>Gets the clock's units per second.</summary>
    public long Frequency { get; }

    /// <summary>Returns the clock for bookkeeping whose smallest step is <paramref name="resolution"/>.</summary>
    public static CoarseClock For(TimeProvider timeProvider, TimeSpan resolution) =>
        ReferenceEquals(timeProvider, TimeProvider.System) && resolution >= FinestCoarseStep
            ? new CoarseClock(null, 1000)
            : new CoarseClock(timeProvider, timeProvider.TimestampFrequency);

    /// <summary>Returns the current timestamp, in <see cref="Frequency"/> units.</summary>
    public long GetTimestamp() => _provider is null ? Environment.TickCount64 : _provider.GetTimestamp();
}
