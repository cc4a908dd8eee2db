using Mesh.Balancing;
using Mesh.Resilience;

namespace Mesh.DependencyInjection.Internal;

/// <summary>
/// Every duration Mesh reads from configuration, with its upper bound: the one list both the binder (which keys take
/// Consul's duration syntax) and the validator (which bound each must keep) work from. The bounds catch unit mistakes
/// (days for seconds) and values no timer should hold, while leaving room for unusual but sane settings.
/// </summary>
internal static class MeshDurations
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan FiveMinutes = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan TenMinutes = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    /// <summary>Gets the duration keys relative to the <c>Mesh</c> section, <c>*</c> standing for a service or method name.</summary>
    public static IReadOnlyList<string> Patterns { get; } = Probe();

    /// <summary>Lists the durations of <paramref name="options"/>, keyed as in configuration (<c>Mesh:Registration:Ttl</c>).</summary>
    public static IEnumerable<DurationSetting> Of(MeshOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        yield return new("Mesh:Consul:RequestTimeout", options.Consul.RequestTimeout, FiveMinutes);
        yield return new("Mesh:Consul:BlockingWait", options.Consul.BlockingWait, Consul.ConsulDefaults.MaxBlockingWait);
        yield return new("Mesh:Local:PollInterval", options.Local.PollInterval, Minute);
        var registration = options.Registration;
        yield return new("Mesh:Registration:Ttl", registration.Ttl, Hour);
        yield return new("Mesh:Registration:CheckInterval", registration.CheckInterval, Hour);
        yield return new("Mesh:Registration:CheckTimeout", registration.CheckTimeout, FiveMinutes);
        yield return new("Mesh:Registration:DeregisterCriticalServiceAfter", registration.DeregisterCriticalServiceAfter, Day);
        yield return new("Mesh:Registration:DrainDelay", registration.DrainDelay, TenMinutes);
        yield return new("Mesh:Registration:RetryDelay", registration.RetryDelay, FiveMinutes);
        yield return new("Mesh:Registration:MaxRetryDelay", registration.MaxRetryDelay, Hour);
        yield return new("Mesh:Discovery:MinQueryInterval", options.Discovery.MinQueryInterval, Minute);
        yield return new("Mesh:Discovery:ErrorBackoff", options.Discovery.ErrorBackoff, FiveMinutes);
        yield return new("Mesh:Discovery:MaxErrorBackoff", options.Discovery.MaxErrorBackoff, Hour);
        foreach (var (name, service) in options.Services)
        {
            var prefix = $"Mesh:Services:{name}";
            foreach (var setting in Balancing($"{prefix}:Balancing", service.Balancing))
            {
                yield return setting;
            }

            foreach (var setting in Policy($"{prefix}:Policy", service.Policy))
            {
                yield return setting;
            }
        }
    }

    private static IEnumerable<DurationSetting> Balancing(string prefix, BalancingOptions balancing)
    {
        yield return new($"{prefix}:ResolveTimeout", balancing.ResolveTimeout, FiveMinutes);
        yield return new($"{prefix}:ConnectTimeout", balancing.ConnectTimeout, FiveMinutes);
        var outliers = balancing.OutlierDetection;
        yield return new($"{prefix}:OutlierDetection:FailureRateInterval", outliers.FailureRateInterval, Hour);
        yield return new($"{prefix}:OutlierDetection:BaseEjectionTime", outliers.BaseEjectionTime, Hour);
        yield return new($"{prefix}:OutlierDetection:MaxEjectionTime", outliers.MaxEjectionTime, Day);
    }

    private static IEnumerable<DurationSetting> Policy(string prefix, CallPolicyOptions policy)
    {
        yield return new($"{prefix}:Timeout", policy.Timeout, Day);
        yield return new($"{prefix}:FallbackTimeout", policy.FallbackTimeout, Day);
        yield return new($"{prefix}:StreamingTimeout", policy.StreamingTimeout, TimeSpan.FromDays(7));
        yield return new($"{prefix}:Retry:InitialBackoff", policy.Retry.InitialBackoff, Minute);
        yield return new($"{prefix}:Retry:MaxBackoff", policy.Retry.MaxBackoff, FiveMinutes);
        yield return new($"{prefix}:Budget:Ttl", policy.Budget.Ttl, Minute);
        yield return new($"{prefix}:Hedging:Delay", policy.Hedging.Delay, Minute);
        yield return new($"{prefix}:CircuitBreaker:SamplingDuration", policy.CircuitBreaker.SamplingDuration, Hour);
        yield return new($"{prefix}:CircuitBreaker:BreakDuration", policy.CircuitBreaker.BreakDuration, Hour);
        foreach (var (key, method) in policy.Methods)
        {
            yield return new($"{prefix}:Methods:{key}:Timeout", method?.Timeout, Day);
            yield return new($"{prefix}:Methods:{key}:Retry:InitialBackoff", method?.Retry.InitialBackoff, Minute);
            yield return new($"{prefix}:Methods:{key}:Retry:MaxBackoff", method?.Retry.MaxBackoff, FiveMinutes);
        }
    }

    /// <summary>The keys of an options tree holding one service and one method, both named <c>*</c>.</summary>
    private static string[] Probe()
    {
        var probe = new MeshOptions();
        var service = new Discovery.ServiceOptions();
        service.Policy.Methods[SettingPattern.Any] = new MethodPolicyOptions();
        probe.Services[SettingPattern.Any] = service;
        return [.. Of(probe).Select(setting => setting.Key[(MeshOptions.SectionName.Length + 1)..])];
    }
}
