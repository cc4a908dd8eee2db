namespace Mesh.DependencyInjection.Internal;

/// <summary>Reads environment variables; a seam so tests can set Consul's variables without touching the process.</summary>
internal sealed class MeshEnvironment
{
    public MeshEnvironment(Func<string, string?> read) => Read = read;

    public static MeshEnvironment Process { get; } = new(Environment.GetEnvironmentVariable);

    public Func<string, string?> Read { get; }
}
