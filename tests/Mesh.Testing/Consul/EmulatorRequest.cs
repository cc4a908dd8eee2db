namespace Mesh.Testing.Consul;

/// <summary>A request the emulator received (the token itself is never kept).</summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="Path">The decoded path, such as <c>/v1/health/service/web</c>.</param>
/// <param name="Query">The raw query string including <c>?</c>, or empty.</param>
/// <param name="HadToken">Whether an ACL token was sent.</param>
public sealed record EmulatorRequest(string Method, string Path, string Query, bool HadToken)
{
    /// <summary>Gets a value indicating whether the query asks to block (carries a non-zero <c>index</c>).</summary>
    public bool IsBlocking =>
        Query.Split(['?', '&'], StringSplitOptions.RemoveEmptyEntries).Any(p => p.StartsWith("index=", StringComparison.Ordinal) && p != "index=0");
}
