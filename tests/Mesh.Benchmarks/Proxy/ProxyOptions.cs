using System.Globalization;

namespace Mesh.Benchmarks.Proxy;

/// <summary>The settings of one proxy run, from <c>proxy [--seconds N] [--rounds R] [--only ...] [--sidecar PATH] ...</c>.</summary>
internal sealed record ProxyOptions
{
    public const string Usage =
        "usage: proxy [--seconds N] [--warmup S] [--prewarm S] [--rounds R] [--rate RPS] [--clients C] [--streams M] [--http-clients C] [--only NAME,...] [--sidecar PATH] [--sidecar-env KEY=VALUE]... [--variant label:KEY=VALUE,...|exe=PATH]...\n"
        + "  names for --only: paths direct,nginx,haproxy,sidecar,mesh2; protocols grpc,http; modes max,rate";

    /// <summary>The paths, in the order of the first round.</summary>
    public static readonly string[] AllPaths = ["direct", "nginx", "haproxy", "sidecar", "mesh2"];

    /// <summary>Gets the measured seconds of each run (one path, one protocol, one mode).</summary>
    public int Seconds { get; init; } = 5;

    /// <summary>Gets the seconds of the unrecorded h2load run before each measured one.</summary>
    public int WarmupSeconds { get; init; } = 1;

    /// <summary>Gets the seconds each path is loaded once before the first round, unrecorded.</summary>
    public int PrewarmSeconds { get; init; } = 10;

    /// <summary>Gets how many times every run is repeated; the order of the paths rotates each round.</summary>
    public int Rounds { get; init; } = 5;

    /// <summary>Gets the total request rate of the fixed-rate mode (the same on every path).</summary>
    public int Rate { get; init; } = 2000;

    /// <summary>Gets the h2load clients (connections) for gRPC and for the fixed rate.</summary>
    public int Clients { get; init; } = 16;

    /// <summary>Gets the concurrent streams per gRPC connection at fixed concurrency.</summary>
    public int Streams { get; init; } = 8;

    /// <summary>Gets the HTTP/1.1 connections at fixed concurrency (one request in flight on each).</summary>
    public int HttpClients { get; init; } = 64;

    /// <summary>Gets the names to run (paths, protocols, modes); all when empty.</summary>
    public IReadOnlyList<string> Only { get; init; } = [];

    /// <summary>Gets the sidecar executable; the Release build next to the sources when null.</summary>
    public string? Sidecar { get; init; }

    /// <summary>Gets environment variables set for the sidecar processes only (runtime knobs: DOTNET_TieredPGO=0, ...).</summary>
    public IReadOnlyDictionary<string, string> SidecarEnvironment { get; init; } = new Dictionary<string, string>();

    /// <summary>Gets the extra one-hop sidecars measured side by side with the first.</summary>
    public IReadOnlyList<SidecarVariant> Variants { get; init; } = [];

    /// <summary>Whether <paramref name="name"/> (a path, protocol or mode) is selected.</summary>
    public bool Selects(string name, IEnumerable<string> family) =>
        !Only.Any(family.Contains) || Only.Contains(name);

    public static bool TryParse(string[] args, out ProxyOptions options, out string? error)
    {
        options = new ProxyOptions();
        error = null;
        for (var i = 0; i < args.Length; i++)
        {
            if (i + 1 >= args.Length)
            {
                error = $"{args[i]} needs a value";
                return false;
            }

            var value = args[++i];
            if (args[i - 1] is "--only")
            {
                options = options with { Only = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) };
                continue;
            }

            if (args[i - 1] is "--sidecar")
            {
                options = options with { Sidecar = Path.GetFullPath(value) };
                continue;
            }

            if (args[i - 1] is "--variant")
            {
                if (!SidecarVariant.TryParse(value, out var variant, out error))
                {
                    return false;
                }

                options = options with { Variants = [.. options.Variants, variant!] };
                continue;
            }

            if (args[i - 1] is "--sidecar-env")
            {
                var equals = value.IndexOf('=', StringComparison.Ordinal);
                if (equals <= 0)
                {
                    error = $"--sidecar-env needs KEY=VALUE, not '{value}'";
                    return false;
                }

                options = options with { SidecarEnvironment = new Dictionary<string, string>(options.SidecarEnvironment) { [value[..equals]] = value[(equals + 1)..] } };
                continue;
            }

            if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number < (args[i - 1] is "--warmup" or "--prewarm" ? 0 : 1))
            {
                error = $"{args[i - 1]} needs a positive integer, not '{value}'";
                return false;
            }

            switch (args[i - 1])
            {
                case "--seconds": options = options with { Seconds = number }; break;
                case "--warmup": options = options with { WarmupSeconds = number }; break;
                case "--prewarm": options = options with { PrewarmSeconds = number }; break;
                case "--rounds": options = options with { Rounds = number }; break;
                case "--rate": options = options with { Rate = number }; break;
                case "--clients": options = options with { Clients = number }; break;
                case "--streams": options = options with { Streams = number }; break;
                case "--http-clients": options = options with { HttpClients = number }; break;
                default:
                    error = $"unknown argument '{args[i - 1]}'";
                    return false;
            }
        }

        return true;
    }
}
