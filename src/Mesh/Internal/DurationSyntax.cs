using System.Globalization;
using System.Text;

namespace Mesh.Internal;

/// <summary>
/// The one duration parser of Mesh: Go's duration strings, which Consul writes on the wire and in its own configuration
/// (<c>15s</c>, <c>500ms</c>, <c>1m30s</c>, <c>2h</c>, <c>-1.5h</c>), and, for configuration values, .NET's TimeSpan form
/// (<c>00:00:15</c>). A bare number is neither: .NET would read <c>15</c> as 15 days, so it is refused.
/// </summary>
internal static class DurationSyntax
{
    /// <summary>The forms a configured duration may take, for error messages.</summary>
    public const string Forms = "a duration such as '15s', '500ms', '1m30s' or '2h', or a TimeSpan such as '00:00:15'";

    private const decimal TicksPerMicrosecond = 10m;
    private static readonly decimal MaxTicks = TimeSpan.MaxValue.Ticks;

    /// <summary>Parses a Go duration: an optional sign, then one or more decimal numbers each with a unit (ns, us, µs, ms, s, m, h); <c>0</c> alone is zero.</summary>
    public static bool TryParseGo(ReadOnlySpan<char> text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        var negative = !text.IsEmpty && text[0] == '-';
        if (!text.IsEmpty && text[0] is '-' or '+')
        {
            text = text[1..];
        }

        if (text is "0")
        {
            return true;
        }

        if (text.IsEmpty)
        {
            return false;
        }

        decimal ticks = 0;
        while (!text.IsEmpty)
        {
            var numberLength = 0;
            while (numberLength < text.Length && (char.IsAsciiDigit(text[numberLength]) || text[numberLength] == '.'))
            {
                numberLength++;
            }

            var unitLength = 0;
            while (numberLength + unitLength < text.Length && !char.IsAsciiDigit(text[numberLength + unitLength]) && text[numberLength + unitLength] != '.')
            {
                unitLength++;
            }

            if (numberLength == 0 || unitLength == 0
                || !decimal.TryParse(text[..numberLength], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number)
                || UnitTicks(text.Slice(numberLength, unitLength)) is not { } unit
                || number > (MaxTicks - ticks) / unit)
            {
                return false;
            }

            ticks += number * unit;
            text = text[(numberLength + unitLength)..];
        }

        value = TimeSpan.FromTicks((long)(negative ? -ticks : ticks));
        return true;
    }

    /// <summary>Parses a configured duration: Go's syntax, or a TimeSpan with at least one ':'; never a bare number.</summary>
    public static DurationParse ParseSetting(string text, out TimeSpan value)
    {
        var trimmed = text.AsSpan().Trim();
        if (trimmed.Contains(':'))
        {
            return TimeSpan.TryParse(trimmed, CultureInfo.InvariantCulture, out value) ? DurationParse.Parsed : DurationParse.Invalid;
        }

        if (TryParseGo(trimmed, out value))
        {
            return DurationParse.Parsed;
        }

        return double.TryParse(trimmed, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out _)
            ? DurationParse.BareNumber
            : DurationParse.Invalid;
    }

    /// <summary>Formats like Go (hours, minutes, seconds; sub-second values in ms), leaving out zero parts: <c>1h30m</c>, <c>500ms</c>.</summary>
    public static string Format(TimeSpan value)
    {
        if (value == TimeSpan.Zero)
        {
            return "0s";
        }

        var builder = new StringBuilder();
        if (value < TimeSpan.Zero)
        {
            builder.Append('-');
            value = value.Duration();
        }

        if (value < TimeSpan.FromSeconds(1))
        {
            return builder.Append(CultureInfo.InvariantCulture, $"{value.TotalMilliseconds:0.###}ms").ToString();
        }

        var hours = (long)value.TotalHours;
        if (hours > 0)
        {
            builder.Append(CultureInfo.InvariantCulture, $"{hours}h");
        }

        if (value.Minutes > 0)
        {
            builder.Append(CultureInfo.InvariantCulture, $"{value.Minutes}m");
        }

        var seconds = value.Seconds + (value.Ticks % TimeSpan.TicksPerSecond / (double)TimeSpan.TicksPerSecond);
        if (seconds > 0)
        {
            builder.Append(CultureInfo.InvariantCulture, $"{seconds:0.#######}s");
        }

        return builder.ToString();
    }

    private static decimal? UnitTicks(ReadOnlySpan<char> unit) => unit switch
    {
        "h" => TimeSpan.TicksPerHour,
        "m" => TimeSpan.TicksPerMinute,
        "s" => TimeSpan.TicksPerSecond,
        "ms" => TimeSpan.TicksPerMillisecond,
        "us" or "µs" or "μs" => TicksPerMicrosecond,
        "ns" => TicksPerMicrosecond / 1000,
        _ => null,
    };
}
