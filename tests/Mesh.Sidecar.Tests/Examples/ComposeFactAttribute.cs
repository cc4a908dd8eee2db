namespace Mesh.Sidecar.Tests.Examples;

/// <summary>A fact about examples/docker-compose.yml; skipped, saying why, without a clone or without python3 + PyYAML.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ComposeFactAttribute : FactAttribute
{
    public ComposeFactAttribute()
    {
        if (ExamplePaths.RepositoryRoot is null)
        {
            Skip = $"No clone of Mesh (Mesh.sln, examples/Shop) above {AppContext.BaseDirectory}.";
        }
        else if (ExamplePaths.PythonWithYaml is null)
        {
            Skip = "No python3 with PyYAML (tried python3 on PATH and /usr/bin/python3) to parse the compose file: install python3-yaml.";
        }
    }
}
