using System.Globalization;
using Mesh.Internal;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Mesh.Sidecar.Configuration.Internal;

/// <summary>
/// Reads <c>Mesh:Sidecar</c> by hand rather than with the binder, so a value of the wrong type becomes a validation
/// message that names the key and the allowed values (the binder throws a type-conversion error instead).
/// </summary>
internal sealed class SidecarOptionsReader(IConfiguration configuration) : IConfigureOptions<SidecarOptions>
{
    public void Configure(SidecarOptions options)
    {
        var section = configuration.GetSection(SidecarOptions.SectionName);
        var errors = options.ReadErrors;
        options.AppPort = ReadPort(section, "AppPort", errors) ?? options.AppPort;
        options.Inbound = section["Inbound"] ?? options.Inbound;
        options.Outbound = section["Outbound"] ?? options.Outbound;
        options.Admin = section["Admin"] ?? options.Admin;
        options.AllowNonLoopbackAdmin = ReadBool(section, "AllowNonLoopbackAdmin", errors) ?? options.AllowNonLoopbackAdmin;
        options.MaxRetryBodyBytes = ReadInt(section, "MaxRetryBodyBytes", errors) ?? options.MaxRetryBodyBytes;
        options.IdleTimeout = ReadTime(section, "IdleTimeout", errors) ?? options.IdleTimeout;
        foreach (var upstream in section.GetSection("Upstreams").GetChildren())
        {
            if (ReadPort(section, "Upstreams:" + upstream.Key, errors) is { } port)
            {
                options.Upstreams[upstream.Key] = port;
            }
        }

        var probe = options.Probe;
        if (section["Probe:Kind"] is { } kind)
        {
            if (Enum.TryParse<ProbeKind>(kind, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !int.TryParse(kind, out _))
            {
                probe.Kind = parsed;
            }
            else
            {
                errors.Add($"{Key("Probe:Kind")} must be one of Tcp, Http, Grpc; got '{kind}'.");
            }
        }

        probe.Path = section["Probe:Path"] ?? probe.Path;
        probe.GrpcService = section["Probe:GrpcService"] ?? probe.GrpcService;
        probe.Interval = ReadTime(section, "Probe:Interval", errors) ?? probe.Interval;
        probe.Timeout = ReadTime(section, "Probe:Timeout", errors) ?? probe.Timeout;
    }

    /// <summary>The full key of a setting under <c>Mesh:Sidecar</c>.</summary>
    public static string Key(string name) => SidecarOptions.SectionName + ":" + name;

    private static int? ReadPort(IConfigurationSection section, string name, List<string> errors)
    {
        if (section[name] is not { } raw)
        {
            return null;
        }

        if (int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is >= 1 and <= 65535)
        {
            return port;
        }

        errors.Add($"{Key(name)} must be a port number from 1 to 65535; got '{raw}'.");
        return null;
    }

    private static int? ReadInt(IConfigurationSection section, string name, List<string> errors)
    {
        if (section[name] is not { } raw)
        {
            return null;
        }

        if (int.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        errors.Add($"{Key(name)} must be a whole number; got '{raw}'.");
        return null;
    }

    private static bool? ReadBool(IConfigurationSection section, string name, List<string> errors)
    {
        if (section[name] is not { } raw)
        {
            return null;
        }

        if (bool.TryParse(raw, out var value))
        {
            return value;
        }

        errors.Add($"{Key(name)} must be true or false; got '{raw}'.");
        return null;
    }

    private static TimeSpan? ReadTime(IConfigurationSection section, string name, List<string> errors)
    {
        if (section[name] is not { } raw)
        {
            return null;
        }

        // The library's one duration syntax, so a value that works under Mesh:Registration works here too.
        switch (DurationSyntax.ParseSetting(raw, out var value))
        {
            case DurationParse.Parsed:
                return value;
            case DurationParse.BareNumber:
                errors.Add($"{Key(name)} is '{raw.Trim()}', a number without a unit; write it with one, such as '{raw.Trim()}s' (or '500ms', '1m30s'), or as a TimeSpan such as '00:00:05'.");
                return null;
            default:
                errors.Add($"{Key(name)} must be {DurationSyntax.Forms}; got '{raw}'.");
                return null;
        }
    }
}
