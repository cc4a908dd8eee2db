using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace Mesh.Sidecar.Tests.Examples;

/// <summary>
/// The README's demo command, run as a user runs it: both acts, the sidecar act's calls all answered while an app
/// and a sidecar crash, and not one of its processes left behind, at the end or after Ctrl+C.
/// </summary>
public sealed partial class DemoTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(120);

    [RepositoryFact]
    public async Task DemoCommand_BothActs_SidecarActLosesNoCallAndLeavesNoProcess()
    {
        var marker = new MarkedProcesses();
        using var bound = new CancellationTokenSource(Bound);
        int exit;
        string output;
        // The README's command; --no-build because the test build built it (this project references it).
        await using (var demo = ExampleProcess.Start("dotnet run --project examples/Mesh.Demo", "dotnet",
            ["run", "--project", Path.Combine(ExamplePaths.Examples, "Mesh.Demo"), "-c", ExamplePaths.BuildConfiguration, "--no-build"],
            Environment(marker)))
        {
            exit = await demo.WaitForExitAsync(bound.Token);
            output = demo.Output;
        }

        Assert.True(exit == 0, $"exit code {exit}:\n{output}");
        var act2 = output.IndexOf("Act 2, the sidecar", StringComparison.Ordinal);
        Assert.True(act2 > 0 && output.IndexOf("Act 1, the library", StringComparison.Ordinal) is >= 0 and var act1 && act1 < act2, output);
        var sidecarAct = output[act2..];
        // Who answered through sidecar a's upstream port: every instance, before the crashes.
        Assert.Matches(@"calls meanwhile: answered by a: \d+, answered by b: \d+, answered by c: \d+", sidecarAct);
        Assert.Contains("> crash app b (kill -9", sidecarAct, StringComparison.Ordinal);
        Assert.Contains("> crash sidecar c (kill -9", sidecarAct, StringComparison.Ordinal);
        Assert.Contains("  hello: (no instances)", sidecarAct[sidecarAct.IndexOf("> stop the rest", StringComparison.Ordinal)..], StringComparison.Ordinal);
        var totals = Totals().Match(sidecarAct);
        Assert.True(totals.Success, sidecarAct);
        Assert.True(int.Parse(totals.Groups["answered"].Value, System.Globalization.CultureInfo.InvariantCulture) > 0, totals.Value);
        Assert.Equal("0", totals.Groups["failed"].Value);
        Assert.Contains("all 6 processes of the act have exited (3 apps, 3 sidecars)", sidecarAct, StringComparison.Ordinal);
        Assert.DoesNotContain("killed after", sidecarAct, StringComparison.Ordinal);
        Assert.Contains("Demo finished", sidecarAct, StringComparison.Ordinal);
        AssertNoneLeft(marker, output);
    }

    [SignalFact]
    public async Task CtrlC_DuringTheSidecarAct_StopsEveryChild()
    {
        var marker = new MarkedProcesses();
        using var bound = new CancellationTokenSource(Bound);
        // The fallback app (no python3 needed), the sidecar act alone. Only the demo gets the signal, as from `kill -INT`:
        // a terminal's Ctrl+C also reaches the children, which is the easier case.
        await using var demo = ExampleProcess.Start("Mesh.Demo", ExamplePaths.DemoBinary, ["--act", "sidecar", "--app", "dotnet"], Environment(marker));
        await demo.WaitForLineAsync(l => l.StartsWith("> crash app b", StringComparison.Ordinal), bound.Token);
        Assert.Contains("plain ASP.NET Core", demo.Output, StringComparison.Ordinal);
        var running = marker.Find();

        Interrupt(demo.Pid);
        var exit = await demo.WaitForExitAsync(bound.Token);

        Assert.True(exit == 130, $"exit code {exit}:\n{demo.Output}");
        Assert.Contains("Demo interrupted: every child process has been stopped.", demo.Output, StringComparison.Ordinal);
        Assert.True(!MarkedProcesses.Supported || running.Count >= 6, $"expected the demo, 3 apps and 3 sidecars (one app crashed), found:\n{string.Join('\n', running)}");
        AssertNoneLeft(marker, demo.Output);
    }

    private static Dictionary<string, string> Environment(MarkedProcesses marker) => new()
    {
        [marker.Name] = marker.Value,
        ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        ["DOTNET_NOLOGO"] = "1",
    };

    private static void AssertNoneLeft(MarkedProcesses marker, string output)
    {
        if (MarkedProcesses.Supported)
        {
            var left = marker.Find();
            Assert.True(left.Count == 0, $"left running after the demo exited:\n{string.Join('\n', left)}\n\n{output}");
        }
    }

    /// <summary>SIGINT, what Ctrl+C sends; SIGTERM instead if this process was started with SIGINT ignored (its children inherit that).</summary>
    private static void Interrupt(int pid)
    {
        const int sigInt = 2, sigTerm = 15;
        var ignored = OperatingSystem.IsLinux() && File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal)) is { } mask
            && (Convert.ToUInt64(mask["SigIgn:".Length..].Trim(), 16) & (1UL << (sigInt - 1))) != 0;
        Assert.Equal(0, Kill(pid, ignored ? sigTerm : sigInt));
    }

    [GeneratedRegex(@"calls through the sidecars: (?<answered>\d+) answered, (?<failed>\d+) failed")]
    private static partial Regex Totals();

    [DllImport("libc", EntryPoint = "kill")]
    private static extern int Kill(int pid, int signal);
}
