namespace Mesh.Sidecar.Configuration;

/// <summary>Default values of <see cref="SidecarOptions"/>, in one place (and in README's "Running the sidecar").</summary>
internal static class SidecarDefaults
{
    /// <summary>The inbound listener: every interface, port 4143 (Linkerd's inbound port), so other machines reach the app.</summary>
    public const string Inbound = "http://0.0.0.0:4143";

    /// <summary>The outbound listener: loopback only, port 4140 (Linkerd's outbound port); only the local app calls out.</summary>
    public const string Outbound = "http://127.0.0.1:4140";

    /// <summary>The admin listener: loopback only, port 4191 (Linkerd's admin port).</summary>
    public const string Admin = "http://127.0.0.1:4191";

    /// <summary>The largest request body buffered so that it can be replayed on a retry: 64 KiB, as Linkerd does.</summary>
    public const int MaxRetryBodyBytes = 64 * 1024;

    /// <summary>How long a forwarded request may go without any progress before it is cancelled: 5 min.</summary>
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromMinutes(5);

    /// <summary>How often the app is probed: 5 s (the TTL heartbeat's default period, 15 s / 3).</summary>
    public static readonly TimeSpan ProbeInterval = TimeSpan.FromSeconds(5);

    /// <summary>How long one probe may take before it counts as a failure: 1 s.</summary>
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(1);

    /// <summary>The path an HTTP probe GETs: <c>/healthz</c>, as <c>Mesh:Registration:HealthPath</c>.</summary>
    public const string ProbePath = "/healthz";

    /// <summary>Where the app listens: loopback, next to the sidecar.</summary>
    public const string AppHost = "127.0.0.1";
}
