using Grpc.Core;

namespace Mesh.Balancing;

/// <summary>
/// Checks one service's <see cref="BalancingOptions"/>. Every message names the configuration key and what is
/// allowed, for the start-up validation that calls it.
/// </summary>
internal static class BalancingOptionsValidator
{
    /// <summary>Adds a message to <paramref name="errors"/> for every bad setting.</summary>
    /// <param name="keyPrefix">The options' configuration key, such as <c>Mesh:Services:orders:Balancing</c>.</param>
    /// <param name="options">The options to check.</param>
    /// <param name="errors">Receives the messages.</param>
    public static void Validate(string keyPrefix, BalancingOptions options, List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(errors);
        if (!Enum.IsDefined(options.LoadBalancer))
        {
            errors.Add($"{keyPrefix}:LoadBalancer must be PowerOfTwoChoices or RoundRobin (was '{options.LoadBalancer}').");
        }

        if (options.PreferTag is { } tag && string.IsNullOrWhiteSpace(tag))
        {
            errors.Add($"{keyPrefix}:PreferTag must not be blank; remove it for no preference.");
        }

        Positive(errors, $"{keyPrefix}:ResolveTimeout", options.ResolveTimeout);
        Positive(errors, $"{keyPrefix}:ConnectTimeout", options.ConnectTimeout);
        ValidateOutlierDetection($"{keyPrefix}:OutlierDetection", options.OutlierDetection, errors);
    }

    private static void ValidateOutlierDetection(string prefix, OutlierDetectionOptions options, List<string> errors)
    {
        if (options.ConsecutiveFailures < 1)
        {
            errors.Add($"{prefix}:ConsecutiveFailures must be at least 1 (was {options.ConsecutiveFailures}).");
        }

        if (!(options.FailureRateThreshold > 0 && options.FailureRateThreshold <= 1))
        {
            errors.Add($"{prefix}:FailureRateThreshold must be greater than 0 and at most 1 (was {options.FailureRateThreshold}).");
        }

        if (options.FailureRateMinimumCalls < 1)
        {
            errors.Add($"{prefix}:FailureRateMinimumCalls must be at least 1 (was {options.FailureRateMinimumCalls}).");
        }

        Positive(errors, $"{prefix}:FailureRateInterval", options.FailureRateInterval);
        Positive(errors, $"{prefix}:BaseEjectionTime", options.BaseEjectionTime);
        if (options.MaxEjectionTime < options.BaseEjectionTime)
        {
            errors.Add($"{prefix}:MaxEjectionTime must be at least {prefix}:BaseEjectionTime ({options.BaseEjectionTime}) (was {options.MaxEjectionTime}).");
        }

        if (options.MaxEjectionPercent is < 0 or > 100)
        {
            errors.Add($"{prefix}:MaxEjectionPercent must be between 0 and 100 (was {options.MaxEjectionPercent}).");
        }

        if (options.FailureStatusCodes is { } codes)
        {
            for (var i = 0; i < codes.Count; i++)
            {
                if (codes[i] == StatusCode.OK || !Enum.IsDefined(codes[i]))
                {
                    errors.Add($"{prefix}:FailureStatusCodes:{i} must be a gRPC status code other than OK, such as Unavailable (was '{codes[i]}').");
                }
            }
        }
    }

    private static void Positive(List<string> errors, string key, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            errors.Add($"{key} must be greater than zero (was {value}).");
        }
    }
}
