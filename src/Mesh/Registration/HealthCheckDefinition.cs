namespace Mesh.Registration;

/// <summary>A health check for a <see cref="ServiceRegistration"/>. Build one with <see cref="Ttl"/>, <see cref="Http"/> or <see cref="Grpc"/>.</summary>
public sealed record HealthCheckDefinition
{
    private HealthCheckDefinition(HealthCheckKind kind) => Kind = kind;

    /// <summary>Gets the kind of check.</summary>
    public HealthCheckKind Kind { get; }

    /// <summary>Gets the TTL of a <see cref="HealthCheckKind.Ttl"/> check.</summary>
    public TimeSpan TimeToLive { get; private init; }

    /// <summary>Gets how often the agent runs an HTTP or gRPC check.</summary>
    public TimeSpan Interval { get; private init; }

    /// <summary>Gets how long the agent waits for an HTTP or gRPC check.</summary>
    public TimeSpan Timeout { get; private init; }

    /// <summary>Gets the URL of an HTTP check, or the <c>host:port[/service]</c> target of a gRPC check.</summary>
    public string? Target { get; private init; }

    /// <summary>Gets whether a gRPC check uses TLS.</summary>
    public bool UseTls { get; private init; }

    /// <summary>Returns a TTL check: the instance must heartbeat within <paramref name="timeToLive"/>.</summary>
    /// <param name="timeToLive">The TTL; must be positive.</param>
    public static HealthCheckDefinition Ttl(TimeSpan timeToLive)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeToLive, TimeSpan.Zero);
        return new(HealthCheckKind.Ttl) { TimeToLive = timeToLive };
    }

    /// <summary>Returns an HTTP check against <paramref name="url"/>.</summary>
    /// <param name="url">The absolute URL the agent GETs.</param>
    /// <param name="interval">How often.</param>
    /// <param name="timeout">How long to wait.</param>
    public static HealthCheckDefinition Http(Uri url, TimeSpan interval, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        return new(HealthCheckKind.Http) { Target = url.AbsoluteUri, Interval = interval, Timeout = timeout };
    }

    /// <summary>Returns a gRPC health check against <paramref name="target"/> (<c>host:port</c> or <c>host:port/service</c>).</summary>
    /// <param name="target">The gRPC target.</param>
    /// <param name="interval">How often.</param>
    /// <param name="timeout">How long to wait.</param>
    /// <param name="useTls">Whether to use TLS.</param>
    public static HealthCheckDefinition Grpc(string target, TimeSpan interval, TimeSpan timeout, bool useTls = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(target);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        return new(HealthCheckKind.Grpc) { Target = target, Interval = interval, Timeout = timeout, UseTls = useTls };
    }
}
