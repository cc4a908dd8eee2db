namespace Mesh.Tests.Packaging;

/// <summary>A fact about the packed package; skipped, saying why, when this test run cannot pack it.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PackageFactAttribute : FactAttribute
{
    public PackageFactAttribute()
    {
        if (PackageSources.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}
