using System.Text.Json.Serialization;
using Mesh.Consul.Models;

namespace Mesh.Consul.Internal;

/// <summary>Source-generated JSON metadata for every body the client reads or writes: no reflection, trimming-safe.</summary>
[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    PropertyNameCaseInsensitive = true,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Disallow)]
[JsonSerializable(typeof(AgentServiceRegistration))]
[JsonSerializable(typeof(ServiceEntry[]))]
[JsonSerializable(typeof(HealthCheck[]))]
[JsonSerializable(typeof(CatalogService[]))]
[JsonSerializable(typeof(KVPair[]))]
[JsonSerializable(typeof(string[]))]
[JsonSerializable(typeof(Dictionary<string, AgentService>))]
[JsonSerializable(typeof(Dictionary<string, HealthCheck>))]
[JsonSerializable(typeof(Dictionary<string, string[]>))]
[JsonSerializable(typeof(CheckUpdate))]
[JsonSerializable(typeof(bool))]
internal sealed partial class ConsulJsonContext : JsonSerializerContext;
