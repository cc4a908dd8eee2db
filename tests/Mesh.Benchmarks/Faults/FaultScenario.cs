namespace Mesh.Benchmarks.Faults;

/// <summary>One fault: inject it under load, measure, heal, check the system is back to normal, report a row.</summary>
internal abstract class FaultScenario
{
    /// <summary>Gets the name <c>--only</c> selects it by.</summary>
    public abstract string Name { get; }

    /// <summary>Gets what the scenario must show (the words).</summary>
    public abstract string Expectation { get; }

    /// <summary>Gets whether the scenario runs through the sidecar door too (the registry ones judge the library's own watch).</summary>
    public virtual bool ThroughSidecar => true;

    public abstract Task<ScenarioRow> RunAsync(FaultContext context);

    /// <summary>The end of every scenario: back to normal within <paramref name="max"/>, or the row says it was not.</summary>
    protected static async Task ExpectNormalAsync(FaultContext context, ScenarioRow row, TimeSpan max)
    {
        var normal = await context.WaitForNormalAsync(max);
        row.Time("back to normal", normal);
        row.Expect(normal is not null, $"back to normal within {max.TotalSeconds:0} s");
    }
}
