namespace Mesh.Tests.Integration;

/// <summary>A fact that runs only against a real Consul agent named by <c>MESH_TEST_CONSUL_ADDR</c>; skipped otherwise.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RealConsulFactAttribute : FactAttribute
{
    public const string Variable = "MESH_TEST_CONSUL_ADDR";

    public RealConsulFactAttribute()
    {
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(Variable)))
        {
            Skip = $"Set {Variable} (e.g. http://127.0.0.1:8500) to run against a real Consul agent.";
        }
    }

    public static Uri Address => new(Environment.GetEnvironmentVariable(Variable)!);
}
