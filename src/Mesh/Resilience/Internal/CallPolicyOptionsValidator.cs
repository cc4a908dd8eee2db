using Grpc.Core;

namespace Mesh.Resilience.Internal;

/// <summary>
/// Checks <see cref="CallPolicyOptions"/>. Every message names the full configuration key and what is allowed, e.g.
/// "Mesh:Services:orders:Policy:Retry:MaxAttempts must be between 1 and 10 (was 0).", so a typo fails the deploy
/// rather than the first call.
/// </summary>
internal static class CallPolicyOptionsValidator
{
    private static readonly TimeSpan MinBreakerWindow = TimeSpan.FromMilliseconds(500);

    /// <summary>Adds a message to <paramref name="errors"/> for each bad value.</summary>
    /// <param name="keyPrefix">The options' configuration key, e.g. <c>Mesh:Services:orders:Policy</c>.</param>
    /// <param name="options">The options to check.</param>
    /// <param name="errors">Where messages go.</param>
    public static void Validate(string keyPrefix, CallPolicyOptions options, List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(errors);
        NotNegative(errors, $"{keyPrefix}:Timeout", options.Timeout);
        NotNegative(errors, $"{keyPrefix}:StreamingTimeout", options.StreamingTimeout);
        NotNegative(errors, $"{keyPrefix}:FallbackTimeout", options.FallbackTimeout);
        ValidateRetry(errors, $"{keyPrefix}:Retry", options.Retry.MaxAttempts, options.Retry.InitialBackoff, options.Retry.MaxBackoff,
            options.Retry.RetriableStatusCodes, options.Retry.IdempotentStatusCodes);
        ValidateBudget(errors, $"{keyPrefix}:Budget", options.Budget);
        ValidateHedging(errors, $"{keyPrefix}:Hedging", options.Hedging);
        ValidateBreaker(errors, $"{keyPrefix}:CircuitBreaker", options.CircuitBreaker);
        foreach (var (key, method) in options.Methods)
        {
            ValidateMethod(errors, $"{keyPrefix}:Methods", key, method, options.Retry);
        }
    }

    private static void ValidateRetry(List<string> errors, string prefix, int? maxAttempts, TimeSpan? initial, TimeSpan? max, IList<StatusCode>? retriable, IList<StatusCode>? idempotent)
    {
        if (maxAttempts is { } attempts && attempts is < 1 or > CallPolicyDefaults.MaxAttemptsLimit)
        {
            errors.Add($"{prefix}:MaxAttempts must be between 1 and {CallPolicyDefaults.MaxAttemptsLimit} (was {attempts}).");
        }

        if (initial is { } initialBackoff && initialBackoff <= TimeSpan.Zero)
        {
            errors.Add($"{prefix}:InitialBackoff must be greater than zero (was {initialBackoff}).");
        }

        if (initial is { } low && max is { } high && high < low)
        {
            errors.Add($"{prefix}:MaxBackoff must be at least {prefix}:InitialBackoff ({low}) (was {high}).");
        }

        StatusCodes(errors, $"{prefix}:RetriableStatusCodes", retriable);
        StatusCodes(errors, $"{prefix}:IdempotentStatusCodes", idempotent);
    }

    private static void ValidateBudget(List<string> errors, string prefix, RetryBudgetOptions budget)
    {
        if (double.IsNaN(budget.RetryRatio) || budget.RetryRatio is < 0 or > 1)
        {
            errors.Add($"{prefix}:RetryRatio must be between 0 and 1 (was {budget.RetryRatio}).");
        }

        if (budget.MinRetriesPerSecond < 0)
        {
            errors.Add($"{prefix}:MinRetriesPerSecond must not be negative (was {budget.MinRetriesPerSecond}).");
        }

        if (budget.Ttl < TimeSpan.FromSeconds(1) || budget.Ttl > TimeSpan.FromSeconds(60))
        {
            errors.Add($"{prefix}:Ttl must be between 00:00:01 and 00:01:00 (was {budget.Ttl}).");
        }
    }

    private static void ValidateHedging(List<string> errors, string prefix, HedgingOptions hedging)
    {
        if (hedging.MaxAttempts is < 2 or > CallPolicyDefaults.MaxAttemptsLimit)
        {
            errors.Add($"{prefix}:MaxAttempts must be between 2 and {CallPolicyDefaults.MaxAttemptsLimit} (was {hedging.MaxAttempts}).");
        }

        NotNegative(errors, $"{prefix}:Delay", hedging.Delay);
    }

    private static void ValidateBreaker(List<string> errors, string prefix, CircuitBreakerOptions breaker)
    {
        if (double.IsNaN(breaker.FailureRatio) || breaker.FailureRatio is <= 0 or > 1)
        {
            errors.Add($"{prefix}:FailureRatio must be greater than 0 and at most 1 (was {breaker.FailureRatio}).");
        }

        if (breaker.MinimumThroughput < 2)
        {
            errors.Add($"{prefix}:MinimumThroughput must be at least 2 (was {breaker.MinimumThroughput}).");
        }

        AtLeast(errors, $"{prefix}:SamplingDuration", breaker.SamplingDuration, MinBreakerWindow);
        AtLeast(errors, $"{prefix}:BreakDuration", breaker.BreakDuration, MinBreakerWindow);
        StatusCodes(errors, $"{prefix}:FailureStatusCodes", breaker.FailureStatusCodes);
    }

    private static void ValidateMethod(List<string> errors, string prefix, string key, MethodPolicyOptions? method, RetryOptions service)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == key.Length - 1 || key.IndexOf('/', slash + 1) >= 0 || key.Contains(' ', StringComparison.Ordinal))
        {
            errors.Add($"{prefix}:{key} must be named package.Service/Method or package.Service/* (was '{key}').");
        }

        if (method is null)
        {
            return;
        }

        if (method.Timeout is { } timeout)
        {
            NotNegative(errors, $"{prefix}:{key}:Timeout", timeout);
        }

        // A method's MaxBackoff is checked against its InitialBackoff, or the service's when it sets none.
        var retry = method.Retry;
        ValidateRetry(errors, $"{prefix}:{key}:Retry", retry.MaxAttempts, retry.InitialBackoff,
            retry.MaxBackoff, retry.RetriableStatusCodes, retry.IdempotentStatusCodes);
        if (retry.InitialBackoff is null && retry.MaxBackoff is { } max && max < service.InitialBackoff)
        {
            errors.Add($"{prefix}:{key}:Retry:MaxBackoff must be at least the InitialBackoff ({service.InitialBackoff}) (was {max}).");
        }
        else if (retry.InitialBackoff is { } initial && retry.MaxBackoff is null && service.MaxBackoff < initial)
        {
            errors.Add($"{prefix}:{key}:Retry:InitialBackoff must be at most the MaxBackoff ({service.MaxBackoff}) (was {initial}).");
        }
    }

    private static void StatusCodes(List<string> errors, string key, IList<StatusCode>? codes)
    {
        if (codes is null)
        {
            return;
        }

        foreach (var code in codes)
        {
            if (code is StatusCode.OK or StatusCode.Cancelled || !Enum.IsDefined(code))
            {
                errors.Add($"{key} must list gRPC error statuses other than OK and Cancelled (was {code}).");
            }
        }
    }

    private static void NotNegative(List<string> errors, string key, TimeSpan value)
    {
        if (value < TimeSpan.Zero)
        {
            errors.Add($"{key} must not be negative; 00:00:00 means none (was {value}).");
        }
    }

    private static void AtLeast(List<string> errors, string key, TimeSpan value, TimeSpan minimum)
    {
        if (value < minimum)
        {
            errors.Add($"{key} must be at least {minimum} (was {value}).");
        }
    }
}
