using Mesh.Telemetry;

// In OpenTelemetry's namespace, like every instrumentation library, so it shows up where the builder is used.
namespace OpenTelemetry.Metrics;

/// <summary>Subscribes an OpenTelemetry meter provider to Mesh's metrics.</summary>
public static class MeshMeterProviderBuilderExtensions
{
    /// <summary>Adds Mesh's metrics (the <see cref="MeshTelemetry.MeterName"/> meter).</summary>
    /// <param name="builder">The meter provider builder.</param>
    /// <returns>The builder, for chaining.</returns>
    public static MeterProviderBuilder AddMeshInstrumentation(this MeterProviderBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddMeter(MeshTelemetry.MeterName);
    }
}
