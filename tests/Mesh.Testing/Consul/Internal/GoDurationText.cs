using System.Globalization;
using System.Text;

namespace Mesh.Testing.Consul.Internal;

/// <summary>
/// Go's <c>time.Duration</c> text, written independently of Mesh's client so the emulator checks the client rather
/// than agreeing with it by construction: <c>ParseDuration</c> for what clients send, <c>String()</c> for what Consul prints.
/// </summary>
internal static class GoDurationText
{
    private const long NanosPerTick = 100;

    /// <summary>Parses like Go's <c>time.ParseDuration</c> (<c>15s</c>, <c>1m30s</c>, <c>250ms</c>, <c>0</c>).</summary>
    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        var span = text.AsSpan();
        var negative = span[0] == '-';
        if (span[0] is '-' or '+')
        {
            span = span[1..];
        }

        if (span is "0")
        {
            return true;
        }

        double nanos = 0;
        while (!span.IsEmpty)
        {
            var digits = 0;
            while (digits < span.Length && (char.IsAsciiDigit(span[digits]) || span[digits] == '.'))
            {
                digits++;
            }

            var unit = digits;
            while (unit < span.Length && !char.IsAsciiDigit(span[unit]) && span[unit] != '.')
            {
                unit++;
            }

            if (digits == 0 || unit == digits
                || !double.TryParse(span[..digits], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
            {
                return false;
            }

            double? scale = span[digits..unit] switch
            {
                "ns" => 1,
                "us" or "\u00b5s" or "\u03bcs" => 1e3,
                "ms" => 1e6,
                "s" => 1e9,
                "m" => 60e9,
                "h" => 3600e9,
                _ => null,
            };
            if (scale is null)
            {
                return false;
            }

            nanos += number * scale.Value;
            span = span[unit..];
        }

        value = TimeSpan.FromTicks((long)(nanos / NanosPerTick) * (negative ? -1 : 1));
        return true;
    }

    /// <summary>Formats like Go's <c>Duration.String()</c>: <c>0s</c>, <c>250ms</c>, <c>15s</c>, <c>1m0s</c>, <c>1h30m0s</c>.</summary>
    public static string Format(TimeSpan value)
    {
        var nanos = value.Ticks * NanosPerTick;
        if (nanos == 0)
        {
            return "0s";
        }

        var sign = nanos < 0 ? "-" : "";
        nanos = Math.Abs(nanos);
        if (nanos < 1_000)
        {
            return sign + nanos.ToString(CultureInfo.InvariantCulture) + "ns";
        }

        if (nanos < 1_000_000)
        {
            return sign + Fraction(nanos, 1_000, 3) + "\u00b5s";
        }

        if (nanos < 1_000_000_000)
        {
            return sign + Fraction(nanos, 1_000_000, 6) + "ms";
        }

        var builder = new StringBuilder(sign);
        var minutes = nanos / 60_000_000_000;
        if (minutes >= 60)
        {
            builder.Append(CultureInfo.InvariantCulture, $"{minutes / 60}h");
        }

        if (minutes > 0)
        {
            builder.Append(CultureInfo.InvariantCulture, $"{minutes % 60}m");
        }

        return builder.Append(Fraction(nanos % 60_000_000_000, 1_000_000_000, 9)).Append('s').ToString();
    }

    private static string Fraction(long value, long unit, int width)
    {
        var whole = (value / unit).ToString(CultureInfo.InvariantCulture);
        var fraction = (value % unit).ToString(CultureInfo.InvariantCulture).PadLeft(width, '0').TrimEnd('0');
        return fraction.Length == 0 ? whole : whole + "." + fraction;
    }
}
