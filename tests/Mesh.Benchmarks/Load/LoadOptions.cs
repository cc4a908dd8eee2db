using System.Globalization;

namespace Mesh.Benchmarks.Load;

/// <summary>The settings of one load run, from <c>load [--seconds N] [--concurrency C] [--warmup S] [--rounds R] [--breakdown]</c>.</summary>
internal sealed record LoadOptions
{
    public const string Usage =
        "usage: load [--seconds N] [--concurrency C] [--warmup S] [--rounds R] [--breakdown] [--allocations] [--message-bytes B] [--only NAME,...]";

    /// <summary>Gets the measured seconds of each segment (one target, one round).</summary>
    public double Seconds { get; init; } = 10;

    /// <summary>Gets the number of workers, each with one call in flight at a time.</summary>
    public int Concurrency { get; init; } = 32;

    /// <summary>Gets the unrecorded seconds of load before each measured segment.</summary>
    public double WarmupSeconds { get; init; } = 2;

    /// <summary>Gets how many times every target is measured; the order rotates each round.</summary>
    public int Rounds { get; init; } = 3;

    /// <summary>Gets whether to add the two split targets: policy over a plain channel, and a Mesh channel without policy.</summary>
    public bool Breakdown { get; init; }

    /// <summary>Gets whether to sample allocations by type and print each target's excess over the plain channel.</summary>
    public bool Allocations { get; init; }

    /// <summary>Gets the names of the targets to run (all when empty): one target alone is what a profiler should see.</summary>
    public IReadOnlyList<string> Only { get; init; } = [];

    /// <summary>Gets the size of the echoed message.</summary>
    public int MessageBytes { get; init; } = 16;

    public static bool TryParse(string[] args, out LoadOptions options, out string? error)
    {
        options = new LoadOptions();
        error = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--breakdown":
                    options = options with { Breakdown = true };
                    continue;
                case "--allocations":
                    options = options with { Allocations = true };
                    continue;
                case "--only" when i + 1 < args.Length:
                    options = options with { Only = args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) };
                    continue;
                case "--seconds" or "--concurrency" or "--warmup" or "--rounds" or "--message-bytes":
                    break;
                default:
                    error = $"unknown argument '{args[i]}'";
                    return false;
            }

            // Durations may be fractional (short segments alternate more often, so slow drift cancels out better).
            var fractional = args[i] is "--seconds" or "--warmup";
            var minimum = args[i] is "--warmup" or "--message-bytes" ? 0 : fractional ? 0.1 : 1;
            var style = fractional ? NumberStyles.AllowDecimalPoint : NumberStyles.None;
            if (i + 1 >= args.Length || !double.TryParse(args[i + 1], style, CultureInfo.InvariantCulture, out var value) || value < minimum
                || (!fractional && value != Math.Floor(value)) || value > int.MaxValue)
            {
                error = $"{args[i]} needs {(fractional ? "a number" : "an integer")} ≥ {minimum.ToString(CultureInfo.InvariantCulture)}";
                return false;
            }

            options = args[i] switch
            {
                "--seconds" => options with { Seconds = value },
                "--concurrency" => options with { Concurrency = (int)value },
                "--warmup" => options with { WarmupSeconds = value },
                "--rounds" => options with { Rounds = (int)value },
                _ => options with { MessageBytes = (int)value },
            };
            i++;
        }

        return true;
    }
}
