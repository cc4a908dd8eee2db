namespace Mesh.DependencyInjection.Internal;

/// <summary>One duration option of a <see cref="MeshOptions"/> tree: its configuration key, its value and its upper bound.</summary>
internal readonly record struct DurationSetting(string Key, TimeSpan? Value, TimeSpan Max);
