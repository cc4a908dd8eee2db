namespace Mesh.Balancing.Internal;

/// <summary>One instance's outlier counters and ejection history, owned by <see cref="OutlierDetector"/>.</summary>
internal sealed class OutlierState
{
    public OutlierState(TimeSpan failureRateInterval, long timestampFrequency) =>
        Window = new FailureWindow(failureRateInterval, timestampFrequency);

    /// <summary>Failures in a row; a field for <see cref="Interlocked"/>.</summary>
    internal int ConsecutiveFailures;

    public FailureWindow Window { get; }

    /// <summary>Gets or sets whether the instance came back from an ejection and has not succeeded since.</summary>
    public bool OnProbation { get; set; }

    /// <summary>Gets or sets the ejection multiplier: ejections not yet forgiven by healthy time.</summary>
    public int TimesEjected { get; set; }

    /// <summary>Gets or sets the timestamp of the last return (for forgiving past ejections).</summary>
    public long? ReturnedAt { get; set; }

    public EjectionReason Reason { get; set; }

    public TimeSpan Duration { get; set; }

    /// <summary>Gets or sets when the current ejection ends (for the sidecar's <c>/endpoints</c>); null when not ejected.</summary>
    public DateTimeOffset? EjectedUntil { get; set; }

    public ITimer? ReturnTimer { get; set; }
}
