namespace Mesh.Sidecar.Tests.Examples;

/// <summary>A fact that needs the clone these tests were built from (sources to pack or examples to run); skipped, saying why, outside one.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RepositoryFactAttribute : FactAttribute
{
    public RepositoryFactAttribute()
    {
        if (ExamplePaths.RepositoryRoot is null)
        {
            Skip = $"No clone of Mesh (Mesh.sln, examples/Shop) above {AppContext.BaseDirectory}: this test uses its sources and builds.";
        }
    }
}
