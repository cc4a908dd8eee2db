namespace Mesh.Demo;

/// <summary>
/// The demo's own flags: <c>--act all|library|sidecar</c> (default all) and <c>--app auto|python|dotnet</c>, the
/// sidecar act's app (default auto: Python's http.server when python3 is on PATH, else a plain ASP.NET Core app).
/// Everything else goes to the host's configuration, as in any .NET app.
/// </summary>
internal sealed record DemoOptions(bool LibraryAct, bool SidecarAct, string App, string[] HostArgs)
{
    private static readonly string[] Acts = ["all", "library", "sidecar"];
    private static readonly string[] Apps = ["auto", "python", "dotnet"];

    /// <summary>Reads the flags; <paramref name="error"/> names the bad one and the allowed values.</summary>
    public static DemoOptions? Parse(string[] args, out string? error)
    {
        var act = "all";
        var app = "auto";
        var rest = new List<string>();
        error = null;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] is "--act" or "--app")
            {
                var flag = args[i];
                var allowed = flag == "--act" ? Acts : Apps;
                var value = i + 1 < args.Length ? args[++i] : "";
                if (!allowed.Contains(value, StringComparer.Ordinal))
                {
                    error = $"{flag} must be one of {string.Join(", ", allowed)} (was '{value}').";
                    return null;
                }

                (act, app) = flag == "--act" ? (value, app) : (act, value);
            }
            else
            {
                rest.Add(args[i]);
            }
        }

        return new DemoOptions(act is "all" or "library", act is "all" or "sidecar", app, [.. rest]);
    }
}
