using System.Reflection;
using Mesh.DependencyInjection.Internal;
using Mesh.Sidecar.Configuration;
using Microsoft.Extensions.Configuration;

namespace Mesh.Sidecar.Tests.Examples;

/// <summary>Whether a configuration key under <c>Mesh:</c> is one Mesh or the sidecar reads: the same schema the start-up warning uses.</summary>
internal static class MeshKeyCheck
{
    private const string SidecarPrefix = SidecarOptions.SectionName + ":";

    /// <summary>Returns each key of <paramref name="keys"/> (in <c>:</c> form) that nothing reads, with the reason.</summary>
    public static IEnumerable<string> Unknown(IEnumerable<string> keys)
    {
        var list = keys.ToList();
        foreach (var key in list.Where(k => k.StartsWith(SidecarPrefix, StringComparison.OrdinalIgnoreCase)))
        {
            if (!IsSidecarKey(key[SidecarPrefix.Length..].Split(':')))
            {
                yield return $"{key} is not a {SidecarOptions.SectionName} setting";
            }
        }

        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(list.Where(k => !k.StartsWith(SidecarPrefix, StringComparison.OrdinalIgnoreCase)).Select(k => new KeyValuePair<string, string?>(k, "x")))
            .Build();
        var owned = new HashSet<string>(["Sidecar"], StringComparer.OrdinalIgnoreCase);
        foreach (var (key, nearest) in MeshSettingSchema.FindUnknown(configuration.GetSection("Mesh"), owned))
        {
            yield return $"{key} is not a Mesh setting (nearest: {nearest})";
        }
    }

    private static bool IsSidecarKey(string[] segments)
    {
        var type = typeof(SidecarOptions);
        for (var i = 0; i < segments.Length; i++)
        {
            var property = type.GetProperty(segments[i], BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            if (property is null)
            {
                return false;
            }

            type = property.PropertyType;
            if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>))
            {
                return i + 2 == segments.Length; // Upstreams:<service>
            }

            if (!type.IsClass || type == typeof(string))
            {
                return i + 1 == segments.Length;
            }
        }

        return false; // a section, not a value
    }
}
