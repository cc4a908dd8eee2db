using System.Globalization;
using Mesh.Internal;

namespace Mesh.Consul.Internal;

/// <summary>Go's duration strings (<c>15s</c>, <c>1m30s</c>, <c>250ms</c>), which Consul uses on the wire.</summary>
internal static class GoDuration
{
    /// <summary>Formats whole units where possible so Consul's own output and ours read the same.</summary>
    public static string Format(TimeSpan value)
    {
        if (value.Ticks % TimeSpan.TicksPerSecond == 0)
        {
            var seconds = (long)value.TotalSeconds;
            if (seconds != 0 && seconds % 3600 == 0)
            {
                return (seconds / 3600).ToString(CultureInfo.InvariantCulture) + "h";
            }

            if (seconds != 0 && seconds % 60 == 0)
            {
                return (seconds / 60).ToString(CultureInfo.InvariantCulture) + "m";
            }

            return seconds.ToString(CultureInfo.InvariantCulture) + "s";
        }

        return ((long)value.TotalMilliseconds).ToString(CultureInfo.InvariantCulture) + "ms";
    }

    /// <summary>Parses Consul's durations with Mesh's one parser (<see cref="DurationSyntax.TryParseGo"/>).</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out TimeSpan value) => DurationSyntax.TryParseGo(text, out value);
}
