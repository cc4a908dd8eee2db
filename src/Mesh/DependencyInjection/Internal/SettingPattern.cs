namespace Mesh.DependencyInjection.Internal;

/// <summary>Matches configuration keys against patterns whose <c>*</c> segments stand for any one segment (a name or an index).</summary>
internal static class SettingPattern
{
    /// <summary>The wildcard segment.</summary>
    public const string Any = "*";

    /// <summary>Splits a key into segments.</summary>
    public static string[] Segments(string key) => key.Split(':');

    /// <summary>Whether <paramref name="key"/> matches <paramref name="pattern"/>, segment by segment, ignoring case as configuration does.</summary>
    public static bool Matches(string[] pattern, string[] key)
    {
        if (pattern.Length != key.Length)
        {
            return false;
        }

        for (var i = 0; i < pattern.Length; i++)
        {
            if (pattern[i] != Any && !string.Equals(pattern[i], key[i], StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The pattern with each <c>*</c> replaced by the key's segment in the same place (or kept when the key is shorter).</summary>
    public static string Instantiate(string[] pattern, string[] key) =>
        string.Join(':', pattern.Select((segment, i) => segment == Any && i < key.Length ? key[i] : segment));
}
