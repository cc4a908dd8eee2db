namespace Mesh.Sidecar.Tests.Examples;

/// <summary>A fact that runs an example from the clone and sends it a POSIX signal; skipped, saying why, outside a clone or on Windows.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class SignalFactAttribute : FactAttribute
{
    public SignalFactAttribute()
    {
        if (ExamplePaths.RepositoryRoot is null)
        {
            Skip = $"No clone of Mesh (Mesh.sln, examples/Shop) above {AppContext.BaseDirectory}: this test runs the examples built from it.";
        }
        else if (OperatingSystem.IsWindows())
        {
            Skip = "Ctrl+C is a POSIX signal here (SIGINT to one process); Windows has no such signal to send.";
        }
    }
}
