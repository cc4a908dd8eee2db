using System.Collections.Concurrent;
using System.Diagnostics;

namespace Mesh.Sidecar.Tests.TestSupport;

/// <summary>The built sidecar executable (its apphost, copied next to the tests) run as a child process, as users run it.</summary>
internal sealed class SidecarProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private SidecarProcess(Process process) => _process = process;

    /// <summary>Gets what the process wrote to stdout and stderr so far.</summary>
    public string Output => string.Join('\n', _output);

    public static SidecarProcess Start(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "Mesh.Sidecar.exe" : "Mesh.Sidecar"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://127.0.0.1:9"; // no console span dump
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        var process = new Process { StartInfo = start };
        var sidecar = new SidecarProcess(process);
        process.OutputDataReceived += (_, e) => sidecar.Collect(e.Data);
        process.ErrorDataReceived += (_, e) => sidecar.Collect(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return sidecar;
    }

    /// <summary>Sends SIGTERM, as a container runtime or systemd does on stop.</summary>
    public void Terminate()
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    /// <summary>Waits (bounded) for the process to exit and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        await _process.WaitForExitAsync().WaitAsync(timeout);
        _process.WaitForExit(); // flushes the redirected output
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void Collect(string? line)
    {
        if (line is not null)
        {
            _output.Enqueue(line);
        }
    }
}
