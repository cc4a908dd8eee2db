using System.Reflection;

namespace Mesh.Telemetry.Internal;

/// <summary>The Mesh assembly's version, which the ActivitySource and Meter carry.</summary>
internal static class MeshVersion
{
    public static readonly string Value =
        typeof(MeshVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? typeof(MeshVersion).Assembly.GetName().Version?.ToString()
        ?? "0.0.0";
}
