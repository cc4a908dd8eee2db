using System.Diagnostics.CodeAnalysis;

// "Static" names the registry users configure (Mesh:Registry = Static); a VB keyword clash is not worth a worse name.
[assembly: SuppressMessage("Naming", "CA1716:Identifiers should not match keywords", Scope = "namespace", Target = "~N:Mesh.Registries.Static")]
