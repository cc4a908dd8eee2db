using Grpc.Core;

namespace Mesh.Balancing;

/// <summary>Default values and well-known names of Mesh's load balancing.</summary>
public static class BalancingDefaults
{
    /// <summary>The URI scheme that resolves through Consul: <c>consul:///orders</c>.</summary>
    public const string ConsulScheme = "consul";

    /// <summary>The URI scheme that resolves through whichever registry is configured: <c>mesh:///orders</c>.</summary>
    public const string MeshScheme = "mesh";

    /// <summary>The gRPC load-balancing policy name of <see cref="LoadBalancerKind.RoundRobin"/>.</summary>
    public const string RoundRobinPolicyName = "mesh_round_robin";

    /// <summary>The gRPC load-balancing policy name of <see cref="LoadBalancerKind.PowerOfTwoChoices"/>.</summary>
    public const string PowerOfTwoChoicesPolicyName = "mesh_p2c";

    /// <summary>The default <see cref="BalancingOptions.LoadBalancer"/>: <see cref="LoadBalancerKind.PowerOfTwoChoices"/>.</summary>
    public const LoadBalancerKind LoadBalancer = LoadBalancerKind.PowerOfTwoChoices;

    /// <summary>The default <see cref="BalancingOptions.ResolveTimeout"/>: 5 s.</summary>
    public static readonly TimeSpan ResolveTimeout = TimeSpan.FromSeconds(5);

    /// <summary>The default <see cref="BalancingOptions.ConnectTimeout"/>: 5 s.</summary>
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(5);

    /// <summary>The default <see cref="OutlierDetectionOptions.ConsecutiveFailures"/>: 5.</summary>
    public const int ConsecutiveFailures = 5;

    /// <summary>The default <see cref="OutlierDetectionOptions.FailureRateThreshold"/>: 0.5 (50% of calls failed).</summary>
    public const double FailureRateThreshold = 0.5;

    /// <summary>The default <see cref="OutlierDetectionOptions.FailureRateMinimumCalls"/>: 10.</summary>
    public const int FailureRateMinimumCalls = 10;

    /// <summary>The default <see cref="OutlierDetectionOptions.FailureRateInterval"/>: 10 s.</summary>
    public static readonly TimeSpan FailureRateInterval = TimeSpan.FromSeconds(10);

    /// <summary>The default <see cref="OutlierDetectionOptions.BaseEjectionTime"/>: 30 s.</summary>
    public static readonly TimeSpan BaseEjectionTime = TimeSpan.FromSeconds(30);

    /// <summary>The default <see cref="OutlierDetectionOptions.MaxEjectionTime"/>: 5 min.</summary>
    public static readonly TimeSpan MaxEjectionTime = TimeSpan.FromMinutes(5);

    /// <summary>The default <see cref="OutlierDetectionOptions.MaxEjectionPercent"/>: 50.</summary>
    public const int MaxEjectionPercent = 50;

    /// <summary>
    /// The default <see cref="OutlierDetectionOptions.FailureStatusCodes"/>: the codes that say something about the
    /// instance rather than the request. <c>Unavailable</c> (down, overloaded, draining), <c>Internal</c>,
    /// <c>Unknown</c> (an unhandled exception) and <c>DataLoss</c> are server faults; <c>DeadlineExceeded</c>
    /// reported by the server means it was too slow to answer. Codes that describe the request or the caller
    /// (<c>InvalidArgument</c>, <c>NotFound</c>, <c>PermissionDenied</c>, <c>Cancelled</c>...) and
    /// <c>ResourceExhausted</c> (usually a per-caller quota, shared by every instance) are not counted.
    /// </summary>
    public static IReadOnlyList<StatusCode> FailureStatusCodes { get; } =
        [StatusCode.Unavailable, StatusCode.Internal, StatusCode.Unknown, StatusCode.DataLoss, StatusCode.DeadlineExceeded];
}
