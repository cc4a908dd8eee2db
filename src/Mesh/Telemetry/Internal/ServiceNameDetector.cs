using Microsoft.Extensions.Hosting;
using OpenTelemetry.Resources;

namespace Mesh.Telemetry.Internal;

/// <summary>
/// Names the service: <c>Mesh:Registration:ServiceName</c>, else the application's name (a client-only app registers
/// nothing and would otherwise be <c>unknown_service:dotnet</c> in Jaeger), unless OpenTelemetry's own settings name it.
/// </summary>
internal sealed class ServiceNameDetector(MeshTelemetrySettings settings, IHostEnvironment? environment) : IResourceDetector
{
    public Resource Detect()
    {
        var name = settings.NamedByOpenTelemetry ? null : settings.ServiceName ?? NullIfBlank(environment?.ApplicationName);
        return name is null ? Resource.Empty : ResourceBuilder.CreateEmpty().AddService(name).Build();
    }

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
