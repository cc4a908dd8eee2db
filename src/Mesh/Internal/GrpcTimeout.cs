using System.Globalization;

namespace Mesh.Internal;

/// <summary>gRPC's <c>grpc-timeout</c> header: at most 8 digits and a unit (H, M, S, m, u, n).</summary>
internal static class GrpcTimeout
{
    public const string HeaderName = "grpc-timeout";

    private const long MaxAmount = 99_999_999;

    private static readonly (char Unit, long Milliseconds)[] Units = [('m', 1), ('S', 1000), ('M', 60_000), ('H', 3_600_000)];

    /// <summary>Reads a timeout; null when absent or malformed (gRPC servers ignore a malformed one too).</summary>
    public static TimeSpan? Parse(string? value)
    {
        if (value is not { Length: >= 2 and <= 9 } || !long.TryParse(value.AsSpan(0, value.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
        {
            return null;
        }

        return value[^1] switch
        {
            'H' => TimeSpan.FromHours(amount),
            'M' => TimeSpan.FromMinutes(amount),
            'S' => TimeSpan.FromSeconds(amount),
            'm' => TimeSpan.FromMilliseconds(amount),
            'u' => TimeSpan.FromMicroseconds(amount),
            'n' => TimeSpan.FromTicks(amount / 100),
            _ => null,
        };
    }

    /// <summary>Formats what is left of a deadline, rounded up (a call is never sent with 0).</summary>
    public static string Format(TimeSpan remaining)
    {
        // In the finest unit whose amount fits 8 digits, so a far deadline is not cut to the ~27.7 hours of "99999999m".
        var milliseconds = Math.Max((long)Math.Ceiling(remaining.TotalMilliseconds), 1);
        foreach (var (unit, size) in Units)
        {
            var amount = (milliseconds + size - 1) / size;
            if (amount <= MaxAmount)
            {
                return amount.ToString(CultureInfo.InvariantCulture) + unit;
            }
        }

        return MaxAmount.ToString(CultureInfo.InvariantCulture) + "H";
    }
}
