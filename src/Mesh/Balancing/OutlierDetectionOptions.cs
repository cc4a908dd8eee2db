using Grpc.Core;

namespace Mesh.Balancing;

/// <summary>
/// When an instance is taken out of rotation for a while because its calls fail
/// (<c>Mesh:Services:&lt;name&gt;:Balancing:OutlierDetection</c>).
/// </summary>
public sealed class OutlierDetectionOptions
{
    /// <summary>Gets or sets whether ejection is on (<c>...:OutlierDetection:Enabled</c>).</summary>
    /// <value>Defaults to <see langword="true"/>.</value>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Gets or sets how many failed calls in a row eject an instance (<c>...:OutlierDetection:ConsecutiveFailures</c>).
    /// </summary>
    /// <value>Defaults to 5.</value>
    public int ConsecutiveFailures { get; set; } = BalancingDefaults.ConsecutiveFailures;

    /// <summary>
    /// Gets or sets the share of failed calls, from 0 to 1, over <see cref="FailureRateInterval"/> that ejects an
    /// instance (<c>...:OutlierDetection:FailureRateThreshold</c>).
    /// </summary>
    /// <value>Defaults to 0.5.</value>
    public double FailureRateThreshold { get; set; } = BalancingDefaults.FailureRateThreshold;

    /// <summary>
    /// Gets or sets how many calls the interval must hold before the failure rate counts, so that one failure
    /// out of one call does not eject (<c>...:OutlierDetection:FailureRateMinimumCalls</c>).
    /// </summary>
    /// <value>Defaults to 10.</value>
    public int FailureRateMinimumCalls { get; set; } = BalancingDefaults.FailureRateMinimumCalls;

    /// <summary>Gets or sets the sliding interval the failure rate is measured over (<c>...:OutlierDetection:FailureRateInterval</c>).</summary>
    /// <value>Defaults to 10 s.</value>
    public TimeSpan FailureRateInterval { get; set; } = BalancingDefaults.FailureRateInterval;

    /// <summary>
    /// Gets or sets the first ejection's length; the n-th ejection in a row lasts n times as long
    /// (<c>...:OutlierDetection:BaseEjectionTime</c>). Each healthy <see cref="BaseEjectionTime"/> after a return
    /// forgives one past ejection.
    /// </summary>
    /// <value>Defaults to 30 s.</value>
    public TimeSpan BaseEjectionTime { get; set; } = BalancingDefaults.BaseEjectionTime;

    /// <summary>Gets or sets the longest ejection (<c>...:OutlierDetection:MaxEjectionTime</c>).</summary>
    /// <value>Defaults to 5 min.</value>
    public TimeSpan MaxEjectionTime { get; set; } = BalancingDefaults.MaxEjectionTime;

    /// <summary>
    /// Gets or sets the largest share of a service's instances, in percent, that may be ejected at once; at least
    /// one instance always stays in rotation (<c>...:OutlierDetection:MaxEjectionPercent</c>).
    /// </summary>
    /// <value>Defaults to 50.</value>
    public int MaxEjectionPercent { get; set; } = BalancingDefaults.MaxEjectionPercent;

    /// <summary>
    /// Gets or sets the gRPC status codes that count as an instance's failure
    /// (<c>...:OutlierDetection:FailureStatusCodes</c>). Transport errors (refused or reset connections) always count;
    /// cancellations never do. Statuses are only visible with <see cref="MeshBalancing.CreateHttpHandler"/> in the
    /// channel's handler chain.
    /// </summary>
    /// <value>Defaults to <see cref="BalancingDefaults.FailureStatusCodes"/> when <see langword="null"/>.</value>
    public IReadOnlyList<StatusCode>? FailureStatusCodes { get; set; }
}
