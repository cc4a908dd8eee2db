using System.Globalization;
using System.Text;

namespace Mesh.Consul.Internal;

/// <summary>Builds a request path with an escaped query string.</summary>
internal sealed class ConsulQueryString
{
    private readonly StringBuilder _builder;
    private bool _hasQuery;

    public ConsulQueryString(string path) => _builder = new StringBuilder(path);

    public ConsulQueryString Add(string name, string? value)
    {
        if (value is null)
        {
            return this;
        }

        _builder.Append(_hasQuery ? '&' : '?').Append(name);
        if (value.Length > 0)
        {
            _builder.Append('=').Append(Uri.EscapeDataString(value));
        }

        _hasQuery = true;
        return this;
    }

    /// <summary>Adds a flag parameter with no value, like <c>?passing</c> or <c>?recurse</c>.</summary>
    public ConsulQueryString AddFlag(string name, bool present) => present ? Add(name, "") : this;

    public ConsulQueryString Add(string name, ulong? value) =>
        value is { } v ? Add(name, v.ToString(CultureInfo.InvariantCulture)) : this;

    public override string ToString() => _builder.ToString();

    /// <summary>Escapes each segment of a key or id while keeping its slashes.</summary>
    public static string EscapePath(string value) =>
        string.Join('/', value.Split('/').Select(Uri.EscapeDataString));
}
