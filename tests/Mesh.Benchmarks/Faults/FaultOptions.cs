using System.Globalization;

namespace Mesh.Benchmarks.Faults;

/// <summary>The command line of <c>faults</c>.</summary>
internal sealed class FaultOptions
{
    public const string Usage = "usage: faults [--only NAME,...] [--rate CALLS_PER_S] [--deadline-ms MS] [--registry-down-s S] [--door library|sidecar|both] [--sidecar PATH]";

    public IReadOnlyList<string> Only { get; private set; } = [];

    public int Rate { get; private set; } = 200;

    public TimeSpan Deadline { get; private set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets how long the registry refuses connections in the registry-down scenario (the issue's 60 s).</summary>
    public TimeSpan RegistryDown { get; private set; } = TimeSpan.FromSeconds(60);

    /// <summary>Gets the doors the load goes through, in order: the library client, the caller's sidecar, or both.</summary>
    public IReadOnlyList<string> Doors { get; private set; } = ["library", "sidecar"];

    /// <summary>Gets the sidecar executable of the sidecar door (null: the Release build next to the sources).</summary>
    public string? Sidecar { get; private set; }

    public static bool TryParse(string[] args, out FaultOptions options, out string? error)
    {
        options = new FaultOptions();
        error = null;
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--only" when value is not null:
                    options.Only = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                    break;
                case "--rate" when int.TryParse(value, CultureInfo.InvariantCulture, out var rate) && rate > 0:
                    options.Rate = rate;
                    break;
                case "--deadline-ms" when int.TryParse(value, CultureInfo.InvariantCulture, out var ms) && ms > 0:
                    options.Deadline = TimeSpan.FromMilliseconds(ms);
                    break;
                case "--registry-down-s" when int.TryParse(value, CultureInfo.InvariantCulture, out var s) && s > 0:
                    options.RegistryDown = TimeSpan.FromSeconds(s);
                    break;
                case "--door" when value is "library" or "sidecar" or "both":
                    options.Doors = value == "both" ? ["library", "sidecar"] : [value];
                    break;
                case "--door":
                    error = $"faults: --door '{value}': allowed values are library, sidecar, both";
                    return false;
                case "--sidecar" when value is not null:
                    options.Sidecar = value;
                    break;
                default:
                    error = $"faults: bad argument '{args[i]}'{(value is null ? "" : $" '{value}'")}";
                    return false;
            }

            i++;
        }

        return true;
    }
}
