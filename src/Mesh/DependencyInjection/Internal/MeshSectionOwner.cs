namespace Mesh.DependencyInjection.Internal;

/// <summary>
/// A section under <c>Mesh:</c> that a component other than <see cref="MeshOptions"/> reads and checks itself (the
/// sidecar's <c>Mesh:Sidecar</c>): the unknown-key warning leaves its keys alone. Registered as a singleton.
/// </summary>
/// <param name="Section">The section's name relative to <c>Mesh</c>, e.g. <c>Sidecar</c>.</param>
internal sealed record MeshSectionOwner(string Section);
