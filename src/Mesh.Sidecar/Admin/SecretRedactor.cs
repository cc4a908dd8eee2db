namespace Mesh.Sidecar.Admin;

/// <summary>Decides which settings <c>/config</c> must not show: tokens, passwords, keys, auth headers, credentials in URLs.</summary>
internal static class SecretRedactor
{
    /// <summary>What a hidden value is shown as.</summary>
    public const string Redacted = "(redacted)";

    private static readonly string[] SecretWords = ["token", "password", "secret", "apikey", "api_key", "credential", "authorization", "headers", "cert_key", "private"];

    /// <summary>Returns the value to show for <paramref name="key"/>.</summary>
    public static string? Show(string key, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return value;
        }

        foreach (var word in SecretWords)
        {
            if (key.Contains(word, StringComparison.OrdinalIgnoreCase))
            {
                return Redacted;
            }
        }

        // http://user:password@consul:8500 carries its secret in the value.
        if (Uri.TryCreate(value, UriKind.Absolute, out var uri) && !string.IsNullOrEmpty(uri.UserInfo))
        {
            return value.Replace(uri.UserInfo + "@", Redacted + "@", StringComparison.Ordinal);
        }

        return value;
    }
}
