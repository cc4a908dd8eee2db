using System.Globalization;
using System.Text.Json;
using Mesh.Sidecar.Configuration;
using Microsoft.Extensions.Configuration;

namespace Mesh.Sidecar.Admin;

/// <summary>
/// <c>/config</c>: the effective settings as JSON: the sidecar's own (with the addresses actually bound), the registry
/// in use, and every configured key under <c>Mesh</c> plus the <c>CONSUL_*</c> and <c>OTEL_*</c> variables, with
/// secrets shown as <c>(redacted)</c> (<see cref="SecretRedactor"/>).
/// </summary>
internal static class ConfigDocument
{
    public static void Write(Utf8JsonWriter json, SidecarOptions options, string registry, SidecarListeners listeners, IConfiguration configuration)
    {
        json.WriteStartObject();
        json.WriteString("registry", registry);
        json.WriteStartObject("sidecar");
        json.WriteNumber("appPort", options.AppPort ?? 0);
        WriteListener(json, "inbound", options.Inbound, listeners.InboundBound is { } inbound ? "http://" + SidecarListeners.Format(inbound) : null);
        WriteListener(json, "outbound", options.Outbound, null);
        WriteListener(json, "admin", options.Admin, listeners.AdminBound is { } admin ? "http://" + SidecarListeners.Format(admin) : null);
        json.WriteBoolean("allowNonLoopbackAdmin", options.AllowNonLoopbackAdmin);
        json.WriteStartObject("upstreams");
        foreach (var (service, port) in options.Upstreams.OrderBy(u => u.Key, StringComparer.Ordinal))
        {
            json.WriteNumber(service, port);
        }

        json.WriteEndObject();
        json.WriteNumber("maxRetryBodyBytes", options.MaxRetryBodyBytes);
        json.WriteString("idleTimeout", options.IdleTimeout.ToString("c", CultureInfo.InvariantCulture));
        json.WriteStartObject("probe");
        json.WriteString("kind", options.Probe.Kind.ToString());
        json.WriteString("path", options.Probe.Path);
        json.WriteString("grpcService", options.Probe.GrpcService);
        json.WriteString("interval", options.Probe.Interval.ToString("c", CultureInfo.InvariantCulture));
        json.WriteString("timeout", options.Probe.Timeout.ToString("c", CultureInfo.InvariantCulture));
        json.WriteEndObject();
        json.WriteEndObject();

        json.WriteStartObject("settings");
        foreach (var (key, value) in Settings(configuration))
        {
            json.WriteString(key, SecretRedactor.Show(key, value));
        }

        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteListener(Utf8JsonWriter json, string name, string configured, string? bound)
    {
        json.WriteStartObject(name);
        json.WriteString("configured", configured);
        if (bound is null)
        {
            json.WriteNull("bound");
        }
        else
        {
            json.WriteString("bound", bound);
        }

        json.WriteEndObject();
    }

    private static IEnumerable<KeyValuePair<string, string?>> Settings(IConfiguration configuration) =>
        configuration.GetSection("Mesh").AsEnumerable()
            .Concat(configuration.AsEnumerable().Where(e => e.Key.StartsWith("CONSUL_", StringComparison.Ordinal) || e.Key.StartsWith("OTEL_", StringComparison.Ordinal)))
            .Where(e => e.Value is not null)
            .DistinctBy(e => e.Key, StringComparer.OrdinalIgnoreCase)
            .OrderBy(e => e.Key, StringComparer.OrdinalIgnoreCase);
}
