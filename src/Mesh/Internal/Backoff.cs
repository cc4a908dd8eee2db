namespace Mesh.Internal;

/// <summary>Exponential backoff with full jitter (AWS's "full jitter"): spreads retries of many clients apart.</summary>
internal static class Backoff
{
    /// <summary>Returns a random delay in [0, min(max, initial × 2^(attempt-1))].</summary>
    /// <param name="attempt">The 1-based number of consecutive failures.</param>
    /// <param name="initial">The ceiling after the first failure.</param>
    /// <param name="max">The largest ceiling.</param>
    public static TimeSpan FullJitter(int attempt, TimeSpan initial, TimeSpan max) =>
        TimeSpan.FromTicks((long)(Ceiling(attempt, initial, max).Ticks * Random.Shared.NextDouble()));

    /// <summary>Returns the ceiling of the jittered delay after <paramref name="attempt"/> failures.</summary>
    public static TimeSpan Ceiling(int attempt, TimeSpan initial, TimeSpan max)
    {
        var exponent = Math.Clamp(attempt - 1, 0, 30);
        var ticks = initial.Ticks * Math.Pow(2, exponent);
        return ticks >= max.Ticks ? max : TimeSpan.FromTicks((long)ticks);
    }
}
