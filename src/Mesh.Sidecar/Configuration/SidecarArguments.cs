namespace Mesh.Sidecar.Configuration;

/// <summary>
/// The command line after its short flags were turned into configuration keys: <c>--service orders</c> →
/// <c>--Mesh:Registration:ServiceName=orders</c>, <c>--app-port 5000</c> → <c>--Mesh:Sidecar:AppPort=5000</c>,
/// <c>--upstream payments=9191</c> (repeatable) → <c>--Mesh:Sidecar:Upstreams:payments=9191</c>. Every other argument
/// passes through to the configuration's command-line source unchanged.
/// </summary>
/// <param name="ConfigurationArgs">The arguments for the configuration.</param>
/// <param name="ShowHelp">Whether <c>--help</c> was asked for.</param>
/// <param name="Error">What was wrong with the command line, or <see langword="null"/>.</param>
internal sealed record SidecarArguments(IReadOnlyList<string> ConfigurationArgs, bool ShowHelp, string? Error)
{
    private static readonly Dictionary<string, string> Flags = new(StringComparer.Ordinal)
    {
        ["--service"] = "Mesh:Registration:ServiceName",
        ["--app-port"] = "Mesh:Sidecar:AppPort",
        ["--upstream"] = "Mesh:Sidecar:Upstreams",
    };

    /// <summary>Rewrites the short flags of <paramref name="args"/>.</summary>
    public static SidecarArguments Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var result = new List<string>(args.Count);
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg is "--help" or "-h" or "-?")
            {
                return new(result, ShowHelp: true, Error: null);
            }

            var equals = arg.IndexOf('=', StringComparison.Ordinal);
            var flag = equals > 0 ? arg[..equals] : arg;
            if (!Flags.TryGetValue(flag, out var key))
            {
                result.Add(arg);
                continue;
            }

            string value;
            if (equals > 0)
            {
                value = arg[(equals + 1)..];
            }
            else if (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                value = args[++i];
            }
            else
            {
                return new(result, false, $"{flag} needs a value{(flag == "--upstream" ? " (name=port, such as --upstream payments=9191)" : "")}.");
            }

            if (flag == "--upstream")
            {
                var split = value.IndexOf('=', StringComparison.Ordinal);
                if (split <= 0 || split == value.Length - 1)
                {
                    return new(result, false, $"--upstream expects name=port, such as --upstream payments=9191; got '{value}'.");
                }

                result.Add($"--{key}:{value[..split]}={value[(split + 1)..]}");
            }
            else
            {
                result.Add($"--{key}={value}");
            }
        }

        return new(result, ShowHelp: false, Error: null);
    }
}
