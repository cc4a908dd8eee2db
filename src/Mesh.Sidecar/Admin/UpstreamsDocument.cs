using System.Text.Json;
using Mesh.Channels;
using Mesh.Sidecar.Outbound.Internal;

namespace Mesh.Sidecar.Admin;

/// <summary>
/// The <c>upstreams</c> of <c>/endpoints</c>: every service the app has called through the outbound door (and every
/// configured upstream port), with discovery's view, the breaker and, per instance, health, calls in flight, the
/// peak-EWMA latency estimate and the end of its ejection.
/// </summary>
internal static class UpstreamsDocument
{
    public static void Write(Utf8JsonWriter json, UpstreamBalancers balancers, IMeshChannels channels, SidecarListeners listeners, TimeProvider time)
    {
        var ports = listeners.Upstreams.ToDictionary(u => u.Service, u => u.Port.Bound?.Port, StringComparer.OrdinalIgnoreCase);
        var names = balancers.All.Select(b => b.ServiceName).Union(ports.Keys, StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal);
        var now = time.GetTimestamp();
        json.WriteStartArray("upstreams");
        foreach (var name in names)
        {
            var balancer = balancers.Get(name); // an upstream port not called yet starts its watch here: it is about to be
            var snapshot = balancer.Snapshot;
            json.WriteStartObject();
            json.WriteString("service", name);
            if (ports.TryGetValue(name, out var port) && port is { } bound)
            {
                json.WriteNumber("port", bound);
            }
            else
            {
                json.WriteNull("port");
            }

            json.WriteString("balancer", balancer.Group.Kind.ToString());
            json.WriteString("breaker", channels.GetPolicy(name).CircuitState.ToString());
            json.WriteBoolean("resolved", snapshot.HasResolved);
            json.WriteBoolean("stale", snapshot.IsStale);
            json.WriteString("lastError", snapshot.LastError);
            json.WriteStartArray("instances");
            foreach (var state in balancer.Group.Members.OrderBy(m => m.Endpoint.Id, StringComparer.Ordinal))
            {
                var endpoint = state.Endpoint;
                json.WriteStartObject();
                json.WriteString("id", endpoint.Id);
                json.WriteString("address", endpoint.Authority);
                json.WriteString("health", endpoint.Health.ToString().ToLowerInvariant());
                json.WriteNumber("inFlight", Volatile.Read(ref state.Outstanding));
                json.WriteNumber("latencyMs", Math.Round(state.Latency.Estimate(now) * 1000 / time.TimestampFrequency, 3));
                json.WriteBoolean("ejected", state.IsEjected);
                if (state.Outlier.EjectedUntil is { } until)
                {
                    json.WriteString("ejectedUntil", until);
                }
                else
                {
                    json.WriteNull("ejectedUntil");
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }
}
