namespace Mesh.Testing.Consul.Internal;

/// <summary>Check statuses as Consul spells them.</summary>
internal static class EmulatorStatus
{
    public const string Passing = "passing";
    public const string Warning = "warning";
    public const string Critical = "critical";

    public static bool IsValid(string? status) => status is Passing or Warning or Critical;
}
