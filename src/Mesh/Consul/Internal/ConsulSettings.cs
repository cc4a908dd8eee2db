namespace Mesh.Consul.Internal;

/// <summary><see cref="ConsulClientOptions"/> with Consul's environment variables and defaults applied.</summary>
internal sealed record ConsulSettings(
    Uri BaseAddress,
    string? Token,
    string? Datacenter,
    string? CaCertificateFile,
    TimeSpan RequestTimeout,
    TimeSpan BlockingWait,
    int MaxResponseBytes)
{
    /// <summary>Resolves options over the environment: explicit configuration wins, as with Consul's own CLI flags.</summary>
    public static ConsulSettings Resolve(ConsulClientOptions options, Func<string, string?> environment)
    {
        var address = NullIfEmpty(options.Address) ?? NullIfEmpty(environment(ConsulDefaults.AddressVariable)) ?? ConsulDefaults.Address;
        var useTls = options.UseTls ?? IsTrue(environment(ConsulDefaults.UseTlsVariable));
        if (!TryParseAddress(address, useTls, out var baseAddress))
        {
            throw new ConsulException($"The Consul address '{address}' is not host:port or an absolute http(s) URI.");
        }

        return new ConsulSettings(
            baseAddress,
            NullIfEmpty(options.Token) ?? NullIfEmpty(environment(ConsulDefaults.TokenVariable)),
            NullIfEmpty(options.Datacenter),
            NullIfEmpty(options.CaCertificateFile) ?? NullIfEmpty(environment(ConsulDefaults.CaCertificateVariable)),
            options.RequestTimeout,
            options.BlockingWait,
            options.MaxResponseBytes);
    }

    /// <summary>Accepts what <c>CONSUL_HTTP_ADDR</c> accepts: <c>host:port</c> or an http(s) URI.</summary>
    public static bool TryParseAddress(string address, bool useTls, out Uri baseAddress)
    {
        var text = address.Trim();
        if (!text.Contains("://", StringComparison.Ordinal))
        {
            text = (useTls ? "https://" : "http://") + text;
        }

        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            && !string.IsNullOrEmpty(uri.Host))
        {
            baseAddress = new Uri(uri.GetLeftPart(UriPartial.Authority) + "/");
            return true;
        }

        baseAddress = null!;
        return false;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static bool IsTrue(string? value) =>
        value is not null && (value.Equals("true", StringComparison.OrdinalIgnoreCase) || value == "1");

    /// <summary>Keeps the token out of anything that prints this record.</summary>
    public override string ToString() => $"Consul {BaseAddress} (token {(Token is null ? "unset" : "set")}, dc {Datacenter ?? "default"})";
}
