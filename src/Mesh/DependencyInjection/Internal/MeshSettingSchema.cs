using Microsoft.Extensions.Configuration;

namespace Mesh.DependencyInjection.Internal;

/// <summary>
/// The keys Mesh's options read, found by binding against a <see cref="SchemaProbe"/>, and the check that names
/// configured keys under <c>Mesh:</c> that none of them reads (typos), with the nearest known key.
/// </summary>
internal static class MeshSettingSchema
{
    private static readonly Lazy<string[][]> KnownKeys = new(() =>
    {
        var read = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        MeshConfigurationBinder.BindGenerated(new SchemaProbe(read, string.Empty), new MeshOptions());
        return [.. read.Order(StringComparer.Ordinal).Select(SettingPattern.Segments)];
    });

    /// <summary>Gets every known key relative to the <c>Mesh</c> section, <c>*</c> standing for a name or an index.</summary>
    public static IEnumerable<string> Known => KnownKeys.Value.Select(key => string.Join(':', key));

    /// <summary>
    /// Returns each configured key of <paramref name="section"/> that no option reads, with the nearest known key; keys
    /// under <paramref name="ownedElsewhere"/> (top-level sections another component reads) are not Mesh's to judge.
    /// </summary>
    public static IEnumerable<(string Key, string Nearest)> FindUnknown(IConfigurationSection section, IReadOnlySet<string> ownedElsewhere)
    {
        foreach (var (relativeKey, value) in section.AsEnumerable(makePathsRelative: true))
        {
            if (value is null || relativeKey.Length == 0)
            {
                continue;
            }

            var key = SettingPattern.Segments(relativeKey);
            if (ownedElsewhere.Contains(key[0]))
            {
                continue;
            }

            if (!KnownKeys.Value.Any(known => SettingPattern.Matches(known, key)))
            {
                yield return ($"{section.Path}:{relativeKey}", $"{section.Path}:{Nearest(relativeKey, key)}");
            }
        }
    }

    /// <summary>The known key closest to <paramref name="relativeKey"/> by edit distance, its names taken from the key itself.</summary>
    private static string Nearest(string relativeKey, string[] key)
    {
        var best = string.Empty;
        var bestDistance = int.MaxValue;
        foreach (var known in KnownKeys.Value)
        {
            var candidate = SettingPattern.Instantiate(known, key);
            var distance = EditDistance(relativeKey, candidate);
            if (distance < bestDistance)
            {
                (best, bestDistance) = (candidate, distance);
            }
        }

        return best;
    }

    /// <summary>Levenshtein distance, ignoring case (configuration keys do).</summary>
    private static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var same = char.ToUpperInvariant(a[i - 1]) == char.ToUpperInvariant(b[j - 1]);
                current[j] = Math.Min(Math.Min(current[j - 1], previous[j]) + 1, previous[j - 1] + (same ? 0 : 1));
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
