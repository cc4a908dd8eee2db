using Mesh.Telemetry.Internal;

namespace Mesh.Resilience.Internal;

/// <summary>The settled policy of one gRPC method: service settings with the method's overrides applied.</summary>
internal sealed class MethodPolicy
{
    public required string FullName { get; init; }

    /// <summary>Gets the overall deadline; <see cref="TimeSpan.Zero"/> for none.</summary>
    public required TimeSpan Timeout { get; init; }

    public required bool Idempotent { get; init; }

    public required int MaxAttempts { get; init; }

    public required TimeSpan InitialBackoff { get; init; }

    public required TimeSpan MaxBackoff { get; init; }

    /// <summary>Gets the statuses retried for this method (idempotent-only ones included when it is idempotent).</summary>
    public required StatusCodeSet RetriableStatusCodes { get; init; }

    /// <summary>Gets the most attempts in flight when hedged; 0 when the method is not hedged.</summary>
    public required int HedgingMaxAttempts { get; init; }

    public required TimeSpan HedgingDelay { get; init; }

    public bool IsHedged => HedgingMaxAttempts > 1;

    /// <summary>Gets the method's span name and rpc attributes, split from <see cref="FullName"/> on first traced use.</summary>
    public RpcNames Names => _names ??= RpcNames.From(FullName);

    private RpcNames? _names;
}
