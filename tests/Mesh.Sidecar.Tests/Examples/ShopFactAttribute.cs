namespace Mesh.Sidecar.Tests.Examples;

/// <summary>A fact that runs the shop's processes; skipped, saying why, without a clone or without python3 + grpcio.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ShopFactAttribute : FactAttribute
{
    public ShopFactAttribute()
    {
        if (ExamplePaths.RepositoryRoot is null)
        {
            Skip = $"No clone of Mesh (Mesh.sln, examples/Shop) above {AppContext.BaseDirectory}: the shop test runs the examples built from it.";
        }
        else if (ExamplePaths.PythonWithGrpc is null)
        {
            Skip = "No python3 with grpcio (tried python3 on PATH and /usr/bin/python3): install Debian's python3-grpcio (.ci/run does) to run the shop's Inventory.";
        }
    }
}
