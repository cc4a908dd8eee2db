using System.Globalization;
using Grpc.Core;

namespace Mesh.Benchmarks.Faults;

/// <summary>What one scenario measured: the calls of its window, its own times, and whether its expectation held.</summary>
internal sealed class ScenarioRow
{
    public ScenarioRow(string name, string door)
    {
        Name = name;
        Door = door;
    }

    /// <summary>Counts the calls of the scenario's window.</summary>
    public void SetCalls(IReadOnlyList<CallRecord> calls, TimeSpan deadline)
    {
        Sent = calls.Count;
        Answered = calls.Count(c => c.IsDone && c.Status == StatusCode.OK);
        // Lost: neither answered nor failed by its deadline (a grace second for scheduling on this busy machine).
        var limit = deadline + TimeSpan.FromSeconds(1);
        Lost = calls.Count(c => !c.IsDone || c.Duration > limit);
        Failed = calls.Where(c => c.IsDone && c.Status != StatusCode.OK)
            .GroupBy(c => c.Status)
            .ToDictionary(g => g.Key, g => g.Count());
    }

    public string Name { get; }

    public string Door { get; }

    public int Sent { get; private set; }

    public int Answered { get; private set; }

    public int Lost { get; private set; }

    public IReadOnlyDictionary<StatusCode, int> Failed { get; private set; } = new Dictionary<StatusCode, int>();

    public int FailedCount => Failed.Values.Sum();

    public List<string> Times { get; } = [];

    public List<string> Problems { get; } = [];

    public bool Passed => Problems.Count == 0;

    public void Time(string name, TimeSpan? value) =>
        Times.Add($"{name} {(value is { } v ? v.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture) + " s" : "never")}");

    public void Note(string text) => Times.Add(text);

    public void Expect(bool held, string what)
    {
        if (!held)
        {
            Problems.Add(what);
        }
    }

    public string FailedText => Failed.Count == 0 ? "0" : string.Join(" ", Failed.OrderBy(kv => kv.Key).Select(kv => $"{kv.Key}:{kv.Value}"));

    public static string Header => "| scenario | door | sent | answered | failed (by status) | lost | times | expectation held |";

    public override string ToString() =>
        $"| {Name} | {Door} | {Sent} | {Answered} | {FailedText} | {Lost} | {string.Join("; ", Times)} | {(Passed ? "yes" : "NO: " + string.Join("; ", Problems))} |";
}
