using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Primitives;

namespace Mesh.DependencyInjection.Internal;

/// <summary>
/// A configuration that claims every section exists, with one child named <c>*</c>, and records every value the binder
/// asks it for: binding a <see cref="MeshOptions"/> against it lists each key an option reads (a dictionary entry or list
/// item as <c>*</c>) from the same generated code that binds the real section, so the list cannot drift from the options.
/// </summary>
internal sealed class SchemaProbe : IConfigurationSection
{
    private readonly HashSet<string> _read;

    public SchemaProbe(HashSet<string> read, string relativeKey)
    {
        _read = read;
        Path = relativeKey;
        var colon = relativeKey.LastIndexOf(':');
        Key = colon < 0 ? relativeKey : relativeKey[(colon + 1)..];
    }

    public string Key { get; }

    public string Path { get; }

    public string? Value
    {
        get
        {
            _read.Add(Path);
            return null;
        }

        set => throw new NotSupportedException();
    }

    public string? this[string key]
    {
        get => GetSection(key).Value;
        set => throw new NotSupportedException();
    }

    public IConfigurationSection GetSection(string key) => new SchemaProbe(_read, Path.Length == 0 ? key : $"{Path}:{key}");

    public IEnumerable<IConfigurationSection> GetChildren() => [GetSection(SettingPattern.Any)];

    public IChangeToken GetReloadToken() => throw new NotSupportedException();
}
