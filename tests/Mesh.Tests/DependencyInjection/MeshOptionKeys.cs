using System.Reflection;

namespace Mesh.Tests.DependencyInjection;

/// <summary>
/// Walks the <see cref="MeshOptions"/> tree by reflection (tests only: the library itself never reflects) to list every
/// configuration key of a given property type, so a new option cannot miss the duration or enum handling.
/// </summary>
internal static class MeshOptionKeys
{
    /// <summary>The key used for every dictionary entry: a valid service name and a valid method key at once.</summary>
    public const string EntryKey = "pkg.Svc/Method";

    /// <summary>Every key whose property is a <see cref="TimeSpan"/> (or nullable), with a reader of its bound value.</summary>
    public static IEnumerable<(string Key, Func<MeshOptions, object?> Read)> Of(Func<Type, bool> isLeaf) =>
        Walk(typeof(MeshOptions), MeshOptions.SectionName, o => o, isLeaf);

    public static bool IsDuration(Type type) => type == typeof(TimeSpan) || type == typeof(TimeSpan?);

    public static bool IsEnumOrEnumList(Type type) =>
        (Nullable.GetUnderlyingType(type) ?? type).IsEnum
        || (type.IsGenericType && type.GetGenericArguments() is [{ IsEnum: true }] && typeof(System.Collections.IEnumerable).IsAssignableFrom(type));

    private static IEnumerable<(string, Func<MeshOptions, object?>)> Walk(Type type, string prefix, Func<MeshOptions, object?> read, Func<Type, bool> isLeaf)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var key = $"{prefix}:{property.Name}";
            var propertyType = property.PropertyType;
            Func<MeshOptions, object?> readProperty = o => read(o) is { } owner ? property.GetValue(owner) : null;
            if (isLeaf(propertyType))
            {
                yield return (key, readProperty);
            }
            else if (propertyType.IsGenericType && propertyType.GetGenericTypeDefinition() == typeof(Dictionary<,>)
                && propertyType.GetGenericArguments()[1] is { IsClass: true } valueType && valueType != typeof(string))
            {
                Func<MeshOptions, object?> readEntry = o => readProperty(o) is System.Collections.IDictionary d && d.Contains(EntryKey) ? d[EntryKey] : null;
                foreach (var nested in Walk(valueType, $"{key}:{EntryKey}", readEntry, isLeaf))
                {
                    yield return nested;
                }
            }
            else if (propertyType.IsClass && propertyType.Namespace?.StartsWith("Mesh", StringComparison.Ordinal) == true)
            {
                foreach (var nested in Walk(propertyType, key, readProperty, isLeaf))
                {
                    yield return nested;
                }
            }
        }
    }
}
