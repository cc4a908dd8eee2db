namespace Mesh.Demo;

/// <summary>Demo timings: short, so a crashed instance's lease visibly runs out within seconds.</summary>
internal static class DemoSettings
{
    public const string ServiceName = "greeter";

    public static readonly TimeSpan Ttl = TimeSpan.FromSeconds(3);

    public static readonly TimeSpan DrainDelay = TimeSpan.FromSeconds(1);

    /// <summary>How long the demo lets calls flow between steps to show the spread.</summary>
    public static readonly TimeSpan ObservePeriod = TimeSpan.FromSeconds(1);

    /// <summary>How long the conductor waits for a change it caused before calling the step failed.</summary>
    public static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(20);
}
