namespace Mesh.Balancing;

/// <summary>Why an instance was ejected.</summary>
public enum EjectionReason
{
    /// <summary>It failed <see cref="OutlierDetectionOptions.ConsecutiveFailures"/> calls in a row.</summary>
    ConsecutiveFailures = 0,

    /// <summary>Its failure rate over <see cref="OutlierDetectionOptions.FailureRateInterval"/> reached the threshold.</summary>
    FailureRate = 1,

    /// <summary>It failed again right after returning from an ejection, before any success.</summary>
    FailedAfterReturn = 2,
}
