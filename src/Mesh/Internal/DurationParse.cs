namespace Mesh.Internal;

/// <summary>What <see cref="DurationSyntax.ParseSetting"/> made of a configured value.</summary>
internal enum DurationParse
{
    /// <summary>A duration.</summary>
    Parsed,

    /// <summary>A number without a unit, which .NET alone would read as days.</summary>
    BareNumber,

    /// <summary>Neither a Go duration nor a TimeSpan.</summary>
    Invalid,
}
