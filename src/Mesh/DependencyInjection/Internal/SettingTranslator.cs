using System.Globalization;
using Mesh.Internal;

namespace Mesh.DependencyInjection.Internal;

/// <summary>
/// Rewrites the values of typed keys as the binder reads them: durations in Consul's syntax become TimeSpan text, and
/// a value that is not a valid duration or enum name becomes an error (naming the key and what it accepts) while the
/// binder sees no value and keeps the default. Validation reports the errors, all at once, when the options are built.
/// </summary>
internal sealed class SettingTranslator
{
    private static readonly string[][] DurationPatterns = [.. MeshDurations.Patterns.Select(SettingPattern.Segments)];
    private static readonly (string[] Pattern, EnumSetting Setting)[] EnumPatterns =
        [.. MeshEnums.Settings.Select(s => (SettingPattern.Segments(s.Pattern), s))];

    /// <summary>Gets the errors found while binding.</summary>
    public List<string> Errors { get; } = [];

    /// <summary>Returns what the binder should see for the value at <paramref name="relativeKey"/> (shown as <paramref name="path"/>).</summary>
    public string? Translate(string relativeKey, string path, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return value;
        }

        var key = SettingPattern.Segments(relativeKey);
        if (DurationPatterns.Any(pattern => SettingPattern.Matches(pattern, key)))
        {
            return TranslateDuration(path, value);
        }

        foreach (var (pattern, setting) in EnumPatterns)
        {
            if (SettingPattern.Matches(pattern, key))
            {
                if (setting.IsValid(value.Trim()))
                {
                    return value.Trim();
                }

                Errors.Add($"{path} must be one of {setting.Names} (was '{value}').");
                return null;
            }
        }

        return value;
    }

    private string? TranslateDuration(string path, string value)
    {
        switch (DurationSyntax.ParseSetting(value, out var duration))
        {
            case DurationParse.Parsed:
                // The binder parses TimeSpan's invariant "c" form, which round-trips every value exactly.
                return duration.ToString("c", CultureInfo.InvariantCulture);
            case DurationParse.BareNumber:
                var number = value.Trim();
                var asTimeSpan = double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds is >= 0 and < 86_400
                    ? TimeSpan.FromSeconds(seconds).ToString("c", CultureInfo.InvariantCulture)
                    : "00:00:15";
                Errors.Add($"{path} is '{number}', a number without a unit; write it with one, such as '{number}s' (or '500ms', '1m30s', '2h'), or as a TimeSpan such as '{asTimeSpan}'.");
                return null;
            default:
                Errors.Add($"{path} must be {DurationSyntax.Forms} (was '{value}').");
                return null;
        }
    }
}
