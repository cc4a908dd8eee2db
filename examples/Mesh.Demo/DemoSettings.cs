namespace Mesh.Demo;

/// <summary>Demo timings: short, so a crashed instance's lease visibly runs out within seconds.</summary>
internal static class DemoSettings
{
    /// <summary>The library act's service: greeter instances that reference the Mesh package.</summary>
    public const string ServiceName = "greeter";

    /// <summary>The sidecar act's service: apps that cannot take the package, each behind its own sidecar.</summary>
    public const string HelloServiceName = "hello";

    public static readonly TimeSpan Ttl = TimeSpan.FromSeconds(3);

    public static readonly TimeSpan DrainDelay = TimeSpan.FromSeconds(1);

    /// <summary>How often a sidecar probes its app (the sidecar's default is 5 s).</summary>
    public static readonly TimeSpan ProbeInterval = TimeSpan.FromSeconds(1);

    /// <summary>How long the demo lets calls flow between steps to show the spread.</summary>
    public static readonly TimeSpan ObservePeriod = TimeSpan.FromSeconds(1);

    /// <summary>How long the conductor waits for a change it caused before calling the step failed.</summary>
    public static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(20);
}
