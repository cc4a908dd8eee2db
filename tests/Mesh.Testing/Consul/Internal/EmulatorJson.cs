using System.Buffers;
using System.Collections.Immutable;
using System.Text.Json;

namespace Mesh.Testing.Consul.Internal;

/// <summary>
/// Writes bodies shaped exactly like the recorded Consul 1.10 answers in <c>tests/consul-samples/</c>: the same property names
/// in the same order, the same nulls and empty objects. Compact by default; <c>?pretty</c> indents by four spaces and
/// ends with a newline, as Consul does.
/// </summary>
internal static class EmulatorJson
{
    public static byte[] Write(bool pretty, Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = pretty, IndentSize = 4 }))
        {
            write(writer);
        }

        if (pretty)
        {
            buffer.Write("\n"u8);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>One element of <c>/v1/health/service/&lt;name&gt;</c>: Node, Service, then the node's and the service's checks.</summary>
    public static void HealthEntry(Utf8JsonWriter w, EmulatorState state, ServiceRecord service)
    {
        w.WriteStartObject();
        w.WritePropertyName("Node");
        Node(w, state.Node);
        w.WritePropertyName("Service");
        HealthService(w, service);
        w.WriteStartArray("Checks");
        foreach (var check in state.NodeChecks.Concat(state.ChecksOf(service.Id)))
        {
            Check(w, state, check, agentView: false);
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    public static void Node(Utf8JsonWriter w, NodeRecord node)
    {
        w.WriteStartObject();
        w.WriteString("ID", node.Id);
        w.WriteString("Node", node.Name);
        w.WriteString("Address", node.Address);
        w.WriteString("Datacenter", node.Datacenter);
        NodeTaggedAddresses(w, "TaggedAddresses", node);
        NodeMeta(w, "Meta");
        w.WriteNumber("CreateIndex", node.CreateIndex);
        w.WriteNumber("ModifyIndex", node.ModifyIndex);
        w.WriteEndObject();
    }

    /// <summary>A service as the health endpoint prints it: <c>Meta</c> is null when none was registered.</summary>
    public static void HealthService(Utf8JsonWriter w, ServiceRecord s)
    {
        w.WriteStartObject();
        w.WriteString("ID", s.Id);
        w.WriteString("Service", s.Name);
        Strings(w, "Tags", s.Tags);
        w.WriteString("Address", s.Address);
        ServiceTaggedAddresses(w, "TaggedAddresses", s);
        if (s.Meta is { } meta)
        {
            Map(w, "Meta", meta);
        }
        else
        {
            w.WriteNull("Meta");
        }

        w.WriteNumber("Port", s.Port);
        Weights(w, "Weights", s);
        w.WriteBoolean("EnableTagOverride", s.EnableTagOverride);
        Proxy(w, "Proxy");
        EmptyObject(w, "Connect");
        w.WriteNumber("CreateIndex", s.CreateIndex);
        w.WriteNumber("ModifyIndex", s.ModifyIndex);
        w.WriteEndObject();
    }

    /// <summary>A value of the <c>/v1/agent/services</c> map: no indexes, <c>Meta</c> never null, the datacenter last.</summary>
    public static void AgentService(Utf8JsonWriter w, ServiceRecord s, string datacenter)
    {
        w.WriteStartObject();
        w.WriteString("ID", s.Id);
        w.WriteString("Service", s.Name);
        Strings(w, "Tags", s.Tags);
        Map(w, "Meta", s.Meta ?? ImmutableSortedDictionary<string, string>.Empty);
        w.WriteNumber("Port", s.Port);
        w.WriteString("Address", s.Address);
        ServiceTaggedAddresses(w, "TaggedAddresses", s);
        Weights(w, "Weights", s);
        w.WriteBoolean("EnableTagOverride", s.EnableTagOverride);
        w.WriteString("Datacenter", datacenter);
        w.WriteEndObject();
    }

    /// <summary>One element of <c>/v1/catalog/service/&lt;name&gt;</c>: node and service fields flattened.</summary>
    public static void CatalogService(Utf8JsonWriter w, NodeRecord node, ServiceRecord s)
    {
        w.WriteStartObject();
        w.WriteString("ID", node.Id);
        w.WriteString("Node", node.Name);
        w.WriteString("Address", node.Address);
        w.WriteString("Datacenter", node.Datacenter);
        NodeTaggedAddresses(w, "TaggedAddresses", node);
        NodeMeta(w, "NodeMeta");
        w.WriteString("ServiceKind", "");
        w.WriteString("ServiceID", s.Id);
        w.WriteString("ServiceName", s.Name);
        Strings(w, "ServiceTags", s.Tags);
        w.WriteString("ServiceAddress", s.Address);
        ServiceTaggedAddresses(w, "ServiceTaggedAddresses", s);
        Weights(w, "ServiceWeights", s);
        Map(w, "ServiceMeta", s.Meta ?? ImmutableSortedDictionary<string, string>.Empty);
        w.WriteNumber("ServicePort", s.Port);
        w.WriteString("ServiceSocketPath", "");
        w.WriteBoolean("ServiceEnableTagOverride", s.EnableTagOverride);
        Proxy(w, "ServiceProxy");
        EmptyObject(w, "ServiceConnect");
        w.WriteNumber("CreateIndex", s.CreateIndex);
        w.WriteNumber("ModifyIndex", s.ModifyIndex);
        w.WriteEndObject();
    }

    /// <summary>A check; the agent's own view (<c>/v1/agent/checks</c>) has no Raft indexes and prints them as 0.</summary>
    public static void Check(Utf8JsonWriter w, EmulatorState state, CheckRecord c, bool agentView)
    {
        var service = c.ServiceId.Length == 0 ? null : state.Service(c.ServiceId);
        w.WriteStartObject();
        w.WriteString("Node", state.Node.Name);
        w.WriteString("CheckID", c.CheckId);
        w.WriteString("Name", c.Name);
        w.WriteString("Status", c.Status);
        w.WriteString("Notes", c.Notes);
        w.WriteString("Output", c.Output);
        w.WriteString("ServiceID", c.ServiceId);
        w.WriteString("ServiceName", service?.Name ?? "");
        Strings(w, "ServiceTags", service?.Tags ?? []);
        w.WriteString("Type", c.Type);
        w.WriteString("Interval", c.Interval);
        w.WriteString("Timeout", c.Timeout);
        w.WriteNumber("ExposedPort", 0);
        EmptyObject(w, "Definition");
        w.WriteNumber("CreateIndex", agentView ? 0 : c.CreateIndex);
        w.WriteNumber("ModifyIndex", agentView ? 0 : c.ModifyIndex);
        w.WriteEndObject();
    }

    public static void KvPair(Utf8JsonWriter w, KvEntry e)
    {
        w.WriteStartObject();
        w.WriteNumber("LockIndex", e.LockIndex);
        w.WriteString("Key", e.Key);
        w.WriteNumber("Flags", e.Flags);
        if (e.Value is { } value)
        {
            w.WriteBase64String("Value", value);
        }
        else
        {
            w.WriteNull("Value");
        }

        w.WriteNumber("CreateIndex", e.CreateIndex);
        w.WriteNumber("ModifyIndex", e.ModifyIndex);
        w.WriteEndObject();
    }

    public static void Strings(Utf8JsonWriter w, string name, IEnumerable<string> values)
    {
        w.WriteStartArray(name);
        foreach (var value in values)
        {
            w.WriteStringValue(value);
        }

        w.WriteEndArray();
    }

    private static void Map(Utf8JsonWriter w, string name, IEnumerable<KeyValuePair<string, string>> map)
    {
        w.WriteStartObject(name);
        foreach (var (key, value) in map)
        {
            w.WriteString(key, value);
        }

        w.WriteEndObject();
    }

    private static void NodeTaggedAddresses(Utf8JsonWriter w, string name, NodeRecord node) =>
        Map(w, name, [new("lan", node.Address), new("lan_ipv4", node.Address), new("wan", node.Address), new("wan_ipv4", node.Address)]);

    private static void NodeMeta(Utf8JsonWriter w, string name) => Map(w, name, [new("consul-network-segment", "")]);

    /// <summary>Omitted when empty, as Go's <c>omitempty</c> does (a service registered without an address has none).</summary>
    private static void ServiceTaggedAddresses(Utf8JsonWriter w, string name, ServiceRecord s)
    {
        if (s.TaggedAddresses.IsEmpty)
        {
            return;
        }

        w.WriteStartObject(name);
        foreach (var (tag, address) in s.TaggedAddresses)
        {
            w.WriteStartObject(tag);
            w.WriteString("Address", address.Address);
            w.WriteNumber("Port", address.Port);
            w.WriteEndObject();
        }

        w.WriteEndObject();
    }

    private static void Weights(Utf8JsonWriter w, string name, ServiceRecord s)
    {
        w.WriteStartObject(name);
        w.WriteNumber("Passing", s.WeightPassing);
        w.WriteNumber("Warning", s.WeightWarning);
        w.WriteEndObject();
    }

    private static void Proxy(Utf8JsonWriter w, string name)
    {
        w.WriteStartObject(name);
        w.WriteString("Mode", "");
        EmptyObject(w, "MeshGateway");
        EmptyObject(w, "Expose");
        w.WriteEndObject();
    }

    private static void EmptyObject(Utf8JsonWriter w, string name)
    {
        w.WriteStartObject(name);
        w.WriteEndObject();
    }
}
