namespace Mesh.Tests.Packaging;

/// <summary>
/// The packaging tests run dotnet pack/build in child processes: alone, after the parallel tests, so the builds do
/// not slow down timing-sensitive tests and those tests do not slow down the builds.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class PackagingTestGroup : ICollectionFixture<PackedMeshPackage>
{
    public const string Name = "Packaging";
}
