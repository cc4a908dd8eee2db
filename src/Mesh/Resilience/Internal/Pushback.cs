using System.Globalization;
using Grpc.Core;

namespace Mesh.Resilience.Internal;

/// <summary>Reads the server's <c>grpc-retry-pushback-ms</c> trailer (gRPC A6).</summary>
internal static class Pushback
{
    public const string TrailerName = "grpc-retry-pushback-ms";

    /// <summary>What the server asked for.</summary>
    public enum Kind
    {
        /// <summary>No trailer: use the policy's backoff.</summary>
        None,

        /// <summary>Retry after exactly the given delay.</summary>
        Delay,

        /// <summary>A negative or malformed value: do not retry.</summary>
        Stop,
    }

    public static Kind Read(Metadata? trailers, out TimeSpan delay) => Read(trailers?.GetValue(TrailerName), out delay);

    /// <summary>Reads a <c>grpc-retry-pushback-ms</c> value; null when the answer carried none.</summary>
    public static Kind Read(string? value, out TimeSpan delay)
    {
        delay = TimeSpan.Zero;
        if (value is null)
        {
            return Kind.None;
        }

        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var milliseconds))
        {
            return Kind.Stop;
        }

        delay = TimeSpan.FromMilliseconds(milliseconds);
        return Kind.Delay;
    }
}
