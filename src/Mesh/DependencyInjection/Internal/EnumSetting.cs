namespace Mesh.DependencyInjection.Internal;

/// <summary>An enum-valued configuration key (relative to the <c>Mesh</c> section) and the names it accepts.</summary>
internal sealed record EnumSetting(string Pattern, string Names, Func<string, bool> IsValid)
{
    /// <summary>A key of enum type <typeparamref name="TEnum"/>: a defined name (any case) or number.</summary>
    public static EnumSetting For<TEnum>(string pattern)
        where TEnum : struct, Enum =>
        new(pattern, string.Join(", ", Enum.GetNames<TEnum>()), text => Enum.TryParse<TEnum>(text, ignoreCase: true, out var value) && Enum.IsDefined(value));
}
