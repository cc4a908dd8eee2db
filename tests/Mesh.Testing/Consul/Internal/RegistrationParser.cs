using System.Collections.Immutable;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using static Mesh.Testing.Consul.Internal.RequestJson;

namespace Mesh.Testing.Consul.Internal;

/// <summary>
/// Turns a <c>PUT /v1/agent/service/register</c> body into a service and its checks, with Consul 1.10's defaults
/// (ID from Name, check ids <c>service:&lt;id&gt;[:n]</c>, tagged addresses from an IP address, weights 1/1) and its
/// validation messages.
/// </summary>
internal static class RegistrationParser
{
    public static (ServiceRecord Service, List<CheckDefinition> Checks) Parse(byte[] body, ConsulEmulatorOptions options)
    {
        using var document = RequestJson.Parse(body);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw Decode($"json: cannot unmarshal {root.ValueKind.ToString().ToLowerInvariant()} into Go value of type structs.ServiceDefinition");
        }

        var name = String(root, "Name") ?? "";
        if (name.Length == 0)
        {
            throw EmulatorHttpException.BadRequest("Missing service name");
        }

        var id = String(root, "ID") is { Length: > 0 } given ? given : name;
        var address = String(root, "Address") ?? "";
        var port = Int(root, "Port");
        var weights = Find(root, "Weights");
        var meta = StringMap(root, "Meta");
        var service = new ServiceRecord
        {
            Id = id, Name = name, Address = address, Port = port,
            Tags = [.. Strings(root, "Tags")],
            Meta = meta is { Count: > 0 } ? meta.ToImmutableSortedDictionary(StringComparer.Ordinal) : null,
            TaggedAddresses = TaggedAddresses(root, address, port),
            WeightPassing = weights is { } w1 && Int(w1, "Passing") is > 0 and var passing ? passing : 1,
            WeightWarning = weights is { } w2 && Find(w2, "Warning") is not null ? Int(w2, "Warning") : 1,
            EnableTagOverride = Bool(root, "EnableTagOverride"),
        };

        List<JsonElement> checks = [];
        if (Find(root, "Check") is { ValueKind: JsonValueKind.Object } single && single.EnumerateObject().Any())
        {
            checks.Add(single);
        }

        if (Find(root, "Checks") is { ValueKind: JsonValueKind.Array } several)
        {
            checks.AddRange(several.EnumerateArray().Where(c => c.ValueKind == JsonValueKind.Object));
        }

        return (service, [.. checks.Select((c, i) => Check(c, checks.Count > 1 ? i + 1 : 0, service, options))]);
    }

    /// <summary>A minimal registration body without checks.</summary>
    public static byte[] Body(string id, string name, int port, string address, IEnumerable<string> tags) =>
        EmulatorJson.Write(pretty: false, w =>
        {
            w.WriteStartObject();
            w.WriteString("ID", id);
            w.WriteString("Name", name);
            w.WriteNumber("Port", port);
            w.WriteString("Address", address);
            EmulatorJson.Strings(w, "Tags", tags);
            w.WriteEndObject();
        });

    private static CheckDefinition Check(JsonElement check, int ordinal, ServiceRecord service, ConsulEmulatorOptions options)
    {
        var status = String(check, "Status");
        if (!string.IsNullOrEmpty(status) && !EmulatorStatus.IsValid(status))
        {
            throw EmulatorHttpException.BadRequest("Status for checks must 'passing', 'warning', 'critical'");
        }

        var ttl = Duration(check, "TTL") ?? TimeSpan.Zero;
        var interval = Duration(check, "Interval") ?? TimeSpan.Zero;
        var timeout = Duration(check, "Timeout") ?? TimeSpan.Zero;
        var type = String(check, "HTTP") is { Length: > 0 } ? "http"
            : String(check, "GRPC") is { Length: > 0 } ? "grpc"
            : String(check, "TCP") is { Length: > 0 } ? "tcp"
            : String(check, "H2PING") is { Length: > 0 } ? "h2ping"
            : Find(check, "Args") is not null || Find(check, "ScriptArgs") is not null ? "script"
            : "ttl";
        var intervalCheck = type != "ttl";
        var invalid = (interval > TimeSpan.Zero && ttl > TimeSpan.Zero) ? "Interval and TTL cannot both be specified"
            : intervalCheck && interval <= TimeSpan.Zero ? "Interval must be > 0 for Script, HTTP, H2PING, or TCP checks"
            : !intervalCheck && ttl <= TimeSpan.Zero ? "TTL must be > 0 for TTL checks"
            : null;
        if (invalid is not null)
        {
            throw EmulatorHttpException.BadRequest("Invalid check: " + invalid);
        }

        var deregister = Duration(check, "DeregisterCriticalServiceAfter");
        var checkId = String(check, "CheckID") is { Length: > 0 } given ? given
            : ordinal > 0 ? $"service:{service.Id}:{ordinal}" : "service:" + service.Id;
        return new CheckDefinition(
            checkId,
            String(check, "Name") is { Length: > 0 } name ? name : $"Service '{service.Name}' check",
            type,
            string.IsNullOrEmpty(status) ? null : status,
            String(check, "Notes") ?? "",
            intervalCheck ? null : ttl,
            interval > TimeSpan.Zero ? GoDurationText.Format(interval) : "",
            timeout > TimeSpan.Zero ? GoDurationText.Format(timeout) : "",
            deregister > TimeSpan.Zero ? (deregister < options.MinDeregisterCriticalServiceAfter ? options.MinDeregisterCriticalServiceAfter : deregister) : null);
    }

    /// <summary>The registered tagged addresses plus Consul's defaults: <c>lan_ipv4</c>/<c>wan_ipv4</c> (or ipv6) for an IP address.</summary>
    private static ImmutableSortedDictionary<string, TaggedAddress> TaggedAddresses(JsonElement root, string address, int port)
    {
        var tagged = ImmutableSortedDictionary.CreateBuilder<string, TaggedAddress>(StringComparer.Ordinal);
        if (Find(root, "TaggedAddresses") is { ValueKind: JsonValueKind.Object } given)
        {
            foreach (var property in given.EnumerateObject())
            {
                tagged[property.Name] = new TaggedAddress(String(property.Value, "Address") ?? "", Int(property.Value, "Port"));
            }
        }

        // Go's net.ParseIP takes only full literals ("1" is not 0.0.0.1).
        if (IPAddress.TryParse(address, out var ip) && (ip.AddressFamily == AddressFamily.InterNetworkV6 || address.Count(c => c == '.') == 3))
        {
            var family = ip.AddressFamily == AddressFamily.InterNetwork ? "ipv4" : "ipv6";
            tagged.TryAdd("lan_" + family, new TaggedAddress(address, port));
            tagged.TryAdd("wan_" + family, new TaggedAddress(address, port));
        }

        return tagged.ToImmutable();
    }
}
