namespace Mesh.Benchmarks.Proxy;

/// <summary>
/// A second one-hop sidecar measured side by side with the first (<c>--variant label:KEY=VALUE,...</c>): other runtime
/// settings, or another build (<c>exe=PATH</c>: the single-file or NativeAOT executable). Its path is <c>sidecar:label</c>.
/// </summary>
internal sealed record SidecarVariant(string Label, string? Executable, IReadOnlyDictionary<string, string> Environment)
{
    public static bool TryParse(string text, out SidecarVariant? variant, out string? error)
    {
        variant = null;
        error = null;
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        var label = colon < 0 ? text : text[..colon];
        if (label.Length == 0 || !label.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            error = $"--variant needs label[:KEY=VALUE,...] with a label of letters, digits, '-', '_' or '.', not '{text}'";
            return false;
        }

        string? executable = null;
        var environment = new Dictionary<string, string>();
        foreach (var setting in colon < 0 ? [] : text[(colon + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = setting.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                error = $"--variant {label}: '{setting}' is not KEY=VALUE";
                return false;
            }

            if (setting[..equals] == "exe")
            {
                executable = Path.GetFullPath(setting[(equals + 1)..]);
            }
            else
            {
                environment[setting[..equals]] = setting[(equals + 1)..];
            }
        }

        variant = new SidecarVariant(label, executable, environment);
        return true;
    }
}
