using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Primitives;

namespace Mesh.DependencyInjection.Internal;

/// <summary>
/// A read view of the <c>Mesh</c> section that the source-generated binder binds from: every value it reads passes
/// through <see cref="SettingTranslator"/>, so Consul's durations and clear enum errors need no reflection and stay
/// trimming-safe. Writes and reload tokens go to the real section.
/// </summary>
internal sealed class TranslatingConfigurationSection : IConfigurationSection
{
    private readonly IConfigurationSection _inner;
    private readonly string _relativeKey;
    private readonly SettingTranslator _translator;

    public TranslatingConfigurationSection(IConfigurationSection inner, string relativeKey, SettingTranslator translator)
    {
        _inner = inner;
        _relativeKey = relativeKey;
        _translator = translator;
    }

    public string Key => _inner.Key;

    public string Path => _inner.Path;

    public string? Value
    {
        get => _translator.Translate(_relativeKey, _inner.Path, _inner.Value);
        set => _inner.Value = value;
    }

    public string? this[string key]
    {
        get => GetSection(key).Value;
        set => _inner[key] = value;
    }

    public IConfigurationSection GetSection(string key) => new TranslatingConfigurationSection(_inner.GetSection(key), Child(key), _translator);

    public IEnumerable<IConfigurationSection> GetChildren() =>
        _inner.GetChildren().Select(child => new TranslatingConfigurationSection(child, Child(child.Key), _translator));

    public IChangeToken GetReloadToken() => _inner.GetReloadToken();

    private string Child(string key) => _relativeKey.Length == 0 ? key : $"{_relativeKey}:{key}";
}
