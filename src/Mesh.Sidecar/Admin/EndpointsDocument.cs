using System.Text.Json;
using Mesh.Registration.Internal;
using Mesh.Sidecar.Health;

namespace Mesh.Sidecar.Admin;

/// <summary>
/// <c>/endpoints</c>: the registration's state, the app probe's latest result, the listeners and the upstreams
/// (<see cref="UpstreamsDocument"/>), as JSON.
/// </summary>
internal static class EndpointsDocument
{
    public static void Write(Utf8JsonWriter json, RegistrationService registration, AppProber prober, string appAddress, SidecarListeners listeners, Action<Utf8JsonWriter> writeUpstreams)
    {
        json.WriteStartObject();
        json.WriteStartObject("registration");
        json.WriteString("state", registration.State.ToString());
        if (registration.Registration is { } registered)
        {
            json.WriteString("id", registered.Id);
            json.WriteString("service", registered.Name);
            json.WriteString("address", registered.Address);
            json.WriteNumber("port", registered.Port);
            json.WriteString("check", registered.Check.Kind.ToString());
            json.WriteStartArray("tags");
            foreach (var tag in registered.Tags)
            {
                json.WriteStringValue(tag);
            }

            json.WriteEndArray();
            json.WriteStartObject("meta");
            foreach (var (key, value) in registered.Meta.OrderBy(m => m.Key, StringComparer.Ordinal))
            {
                json.WriteString(key, value);
            }

            json.WriteEndObject();
        }

        json.WriteEndObject();

        var app = prober.Current;
        json.WriteStartObject("app");
        json.WriteString("address", appAddress);
        json.WriteString("probe", prober.Description);
        json.WriteString("status", app.Probed ? app.Status.ToString().ToLowerInvariant() : "unknown");
        json.WriteString("output", app.Output);
        WriteTime(json, "checkedAt", app.CheckedAt);
        WriteTime(json, "since", app.Since);
        json.WriteNumber("consecutiveFailures", app.ConsecutiveFailures);
        json.WriteEndObject();

        json.WriteStartObject("inbound");
        json.WriteString("address", listeners.InboundBound is { } inbound ? "http://" + SidecarListeners.Format(inbound) : null);
        json.WriteEndObject();

        json.WriteStartObject("outbound");
        json.WriteString("address", listeners.OutboundBound is { } outbound ? "http://" + SidecarListeners.Format(outbound) : null);
        json.WriteEndObject();

        writeUpstreams(json);
        json.WriteEndObject();
    }

    private static void WriteTime(Utf8JsonWriter json, string name, DateTimeOffset? time)
    {
        if (time is { } value)
        {
            json.WriteString(name, value);
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
