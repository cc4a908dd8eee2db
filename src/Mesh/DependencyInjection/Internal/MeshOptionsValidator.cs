using System.Text.RegularExpressions;
using Mesh.Balancing;
using Mesh.Consul;
using Mesh.Consul.Internal;
using Mesh.Internal;
using Mesh.Registries.Static;
using Mesh.Resilience.Internal;
using Microsoft.Extensions.Options;

namespace Mesh.DependencyInjection.Internal;

/// <summary>
/// Checks <see cref="MeshOptions"/> at start. Every message names the configuration key and what is allowed, so a
/// typo fails the deploy rather than the first call. Secrets are never echoed.
/// </summary>
internal sealed partial class MeshOptionsValidator : IValidateOptions<MeshOptions>
{
    private readonly MeshEnvironment _environment;

    public MeshOptionsValidator(MeshEnvironment environment) => _environment = environment;

    public ValidateOptionsResult Validate(string? name, MeshOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>(options.ConfigurationErrors);
        ValidateConsul(options, errors);
        ValidateRegistration(options.Registration, errors);
        Positive(errors, "Mesh:Local:PollInterval", options.Local.PollInterval);
        NotNegative(errors, "Mesh:Discovery:MinQueryInterval", options.Discovery.MinQueryInterval);
        Positive(errors, "Mesh:Discovery:ErrorBackoff", options.Discovery.ErrorBackoff);
        AtLeast(errors, "Mesh:Discovery:MaxErrorBackoff", options.Discovery.MaxErrorBackoff, "Mesh:Discovery:ErrorBackoff", options.Discovery.ErrorBackoff);

        foreach (var (service, settings) in options.Services)
        {
            for (var i = 0; i < settings.Endpoints.Count; i++)
            {
                if (!StaticEndpointParser.TryParse(settings.Endpoints[i], out _, out _))
                {
                    errors.Add($"Mesh:Services:{service}:Endpoints:{i} must be host:port or an absolute URI with a port (was '{settings.Endpoints[i]}').");
                }
            }

            CallPolicyOptionsValidator.Validate($"Mesh:Services:{service}:Policy", settings.Policy, errors);
            BalancingOptionsValidator.Validate($"Mesh:Services:{service}:Balancing", settings.Balancing, errors);
        }

        foreach (var duration in MeshDurations.Of(options))
        {
            if (duration.Value > duration.Max)
            {
                errors.Add($"{duration.Key} must be at most {DurationSyntax.Format(duration.Max)} (was {duration.Value}).");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private void ValidateConsul(MeshOptions options, List<string> errors)
    {
        var consul = options.Consul;
        if (RegistrySelector.Resolve(options, _environment) == RegistryKind.Consul)
        {
            var address = string.IsNullOrWhiteSpace(consul.Address) ? _environment.Read(ConsulDefaults.AddressVariable) : consul.Address;
            if (!string.IsNullOrWhiteSpace(address) && !ConsulSettings.TryParseAddress(address, consul.UseTls ?? false, out _))
            {
                var key = string.IsNullOrWhiteSpace(consul.Address) ? ConsulDefaults.AddressVariable : "Mesh:Consul:Address";
                errors.Add($"{key} must be host:port or an absolute http(s) URI (was '{address}').");
            }
        }

        var caFile = string.IsNullOrWhiteSpace(consul.CaCertificateFile) ? _environment.Read(ConsulDefaults.CaCertificateVariable) : consul.CaCertificateFile;
        if (!string.IsNullOrWhiteSpace(caFile) && !File.Exists(caFile))
        {
            var key = string.IsNullOrWhiteSpace(consul.CaCertificateFile) ? ConsulDefaults.CaCertificateVariable : "Mesh:Consul:CaCertificateFile";
            errors.Add($"{key} names a file that does not exist: '{caFile}'.");
        }

        Positive(errors, "Mesh:Consul:RequestTimeout", consul.RequestTimeout);
        // Its upper bound, Consul's own cap (ConsulDefaults.MaxBlockingWait), is checked with every other duration's.
        Positive(errors, "Mesh:Consul:BlockingWait", consul.BlockingWait);

        if (consul.MaxResponseBytes < 1024)
        {
            errors.Add($"Mesh:Consul:MaxResponseBytes must be at least 1024 (was {consul.MaxResponseBytes}).");
        }
    }

    private static void ValidateRegistration(Registration.RegistrationOptions registration, List<string> errors)
    {
        if (registration.ServiceName is { } serviceName && !ServiceNamePattern().IsMatch(serviceName))
        {
            errors.Add($"Mesh:Registration:ServiceName must be letters, digits, '-', '_' or '.' (was '{serviceName}').");
        }

        if (registration.ServiceId is { } serviceId && serviceId.Trim().Length == 0)
        {
            errors.Add("Mesh:Registration:ServiceId must not be blank; remove it to use the default.");
        }

        if (registration.Port is { } port && port is < 1 or > 65535)
        {
            errors.Add($"Mesh:Registration:Port must be between 1 and 65535 (was {port}).");
        }

        if (!registration.HealthPath.StartsWith('/'))
        {
            errors.Add($"Mesh:Registration:HealthPath must start with '/' (was '{registration.HealthPath}').");
        }

        Positive(errors, "Mesh:Registration:Ttl", registration.Ttl);
        Positive(errors, "Mesh:Registration:CheckInterval", registration.CheckInterval);
        Positive(errors, "Mesh:Registration:CheckTimeout", registration.CheckTimeout);
        Positive(errors, "Mesh:Registration:DeregisterCriticalServiceAfter", registration.DeregisterCriticalServiceAfter);
        NotNegative(errors, "Mesh:Registration:DrainDelay", registration.DrainDelay);
        Positive(errors, "Mesh:Registration:RetryDelay", registration.RetryDelay);
        AtLeast(errors, "Mesh:Registration:MaxRetryDelay", registration.MaxRetryDelay, "Mesh:Registration:RetryDelay", registration.RetryDelay);
    }

    private static void Positive(List<string> errors, string key, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            errors.Add($"{key} must be greater than zero (was {value}).");
        }
    }

    private static void NotNegative(List<string> errors, string key, TimeSpan value)
    {
        if (value < TimeSpan.Zero)
        {
            errors.Add($"{key} must not be negative (was {value}).");
        }
    }

    private static void AtLeast(List<string> errors, string key, TimeSpan value, string otherKey, TimeSpan other)
    {
        if (value < other)
        {
            errors.Add($"{key} must be at least {otherKey} ({other}) (was {value}).");
        }
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]*$")]
    private static partial Regex ServiceNamePattern();
}
