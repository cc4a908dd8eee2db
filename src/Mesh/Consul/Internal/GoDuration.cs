using System.Globalization;

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

    public static bool TryParse(ReadOnlySpan<char> text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        if (text.IsEmpty)
        {
            return false;
        }

        if (text is "0")
        {
            return true;
        }

        double totalMs = 0;
        while (!text.IsEmpty)
        {
            var numberLength = 0;
            while (numberLength < text.Length && (char.IsAsciiDigit(text[numberLength]) || text[numberLength] == '.'))
            {
                numberLength++;
            }

            var unitLength = 0;
            while (numberLength + unitLength < text.Length && char.IsAsciiLetter(text[numberLength + unitLength]) || (numberLength + unitLength < text.Length && text[numberLength + unitLength] == 'µ'))
            {
                unitLength++;
            }

            if (numberLength == 0 || unitLength == 0
                || !double.TryParse(text[..numberLength], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
            {
                return false;
            }

            double? unitMs = text.Slice(numberLength, unitLength) switch
            {
                "h" => 3_600_000,
                "m" => 60_000,
                "s" => 1_000,
                "ms" => 1,
                "us" or "µs" => 0.001,
                "ns" => 0.000_001,
                _ => null,
            };
            if (unitMs is null)
            {
                return false;
            }

            totalMs += number * unitMs.Value;
            text = text[(numberLength + unitLength)..];
        }

        value = TimeSpan.FromMilliseconds(totalMs);
        return true;
    }
}
