using Mesh.Discovery;

namespace Mesh.Sidecar.Health;

/// <summary>What the latest probe of the app found: an immutable snapshot, replaced after every probe.</summary>
/// <param name="Status">Passing or critical (<see cref="EndpointHealth.Critical"/> until the first probe).</param>
/// <param name="Output">What the probe saw, shown by the registry and <c>/endpoints</c>.</param>
/// <param name="CheckedAt">When the probe ended, or <see langword="null"/> before the first one.</param>
/// <param name="Since">When the status last changed.</param>
/// <param name="ConsecutiveFailures">Failed probes in a row.</param>
internal sealed record AppHealth(EndpointHealth Status, string Output, DateTimeOffset? CheckedAt, DateTimeOffset? Since, int ConsecutiveFailures)
{
    /// <summary>Gets the state before the first probe.</summary>
    public static AppHealth NotProbed { get; } = new(EndpointHealth.Critical, "not probed yet", null, null, 0);

    /// <summary>Gets whether a probe has run.</summary>
    public bool Probed => CheckedAt is not null;

    /// <summary>Gets whether the app is passing.</summary>
    public bool IsPassing => Probed && Status == EndpointHealth.Passing;
}
