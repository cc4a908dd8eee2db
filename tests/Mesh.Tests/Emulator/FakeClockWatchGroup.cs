namespace Mesh.Tests.Emulator;

/// <summary>
/// Runs the fake-clock watch tests on their own, after the parallel ones. They step the watcher timer by timer, each
/// wait bounded at 10 s of real time; with the whole suite running beside them, a waited-for timer once came later
/// than that (two CI runs in four on 2 cores, different tests of the class each time), not reproduced alone.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FakeClockWatchGroup
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Fake-clock watch tests";
}
