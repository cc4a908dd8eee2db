using Mesh.Telemetry;

// In OpenTelemetry's namespace, like every instrumentation library, so it shows up where the builder is used.
namespace OpenTelemetry.Trace;

/// <summary>Subscribes an OpenTelemetry tracer provider to Mesh's spans.</summary>
public static class MeshTracerProviderBuilderExtensions
{
    /// <summary>Adds Mesh's spans (the <see cref="MeshTelemetry.ActivitySourceName"/> source).</summary>
    /// <param name="builder">The tracer provider builder.</param>
    /// <returns>The builder, for chaining.</returns>
    public static TracerProviderBuilder AddMeshInstrumentation(this TracerProviderBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddSource(MeshTelemetry.ActivitySourceName);
    }
}
