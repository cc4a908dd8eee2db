using System.Diagnostics;

namespace Mesh.Demo;

/// <summary>
/// A process the demo started and owns: its stdin is a pipe from the demo (closing it asks a demo app to stop, and the
/// OS closes it when the demo dies), its output is kept for the error message when it fails to start.
/// </summary>
internal sealed class ChildProcess : IDisposable
{
    private const int KeptLines = 40;
    private readonly Process _process;
    private readonly Queue<string> _output = new();
    private readonly Lock _lock = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _disposed;

    private ChildProcess(string name, Process process)
    {
        Name = name;
        _process = process;
    }

    /// <summary>Gets what the demo calls it (<c>app a</c>, <c>sidecar b</c>).</summary>
    public string Name { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Starts <paramref name="start"/> with stdin, stdout and stderr redirected to the demo.</summary>
    public static ChildProcess Start(string name, ProcessStartInfo start)
    {
        start.RedirectStandardInput = start.RedirectStandardOutput = start.RedirectStandardError = true;
        start.UseShellExecute = false;
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var child = new ChildProcess(name, process);
        process.OutputDataReceived += (_, e) => child.Collect(e.Data);
        process.ErrorDataReceived += (_, e) => child.Collect(e.Data);
        process.Exited += (_, _) => child.Collect(null);
        if (!process.Start())
        {
            throw new InvalidOperationException($"Could not start {name} ({start.FileName}).");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Waits for the first output line <paramref name="match"/> accepts; throws with the output if the process exits first.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task changed;
            var exited = _process.HasExited;
            if (exited)
            {
                _process.WaitForExit(); // the output's last lines, up to the end of the pipes
            }

            lock (_lock)
            {
                if (_output.FirstOrDefault(match) is { } line)
                {
                    return line;
                }

                if (exited)
                {
                    throw new InvalidOperationException($"{Name} exited (code {_process.ExitCode}) while starting:\n  {string.Join("\n  ", _output)}");
                }

                changed = _changed.Task;
            }

            await changed.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Closes stdin: a demo app (greeter, hello_app.py, the plain app) stops gracefully.</summary>
    public void CloseInput() => _process.StandardInput.Close();

    /// <summary>Sends SIGTERM, what an orchestrator sends (the sidecar drains and deregisters); on Windows, kills.</summary>
    public void Terminate()
    {
        if (!UnixSignal.TryTerminate(_process.Id))
        {
            Crash();
        }
    }

    /// <summary>Kills the process outright (<c>kill -9</c>): no clean-up, no deregistration.</summary>
    public void Crash()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    /// <summary>Waits up to <paramref name="grace"/> for the process to exit, then kills it; true if it exited by itself.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan grace)
    {
        try
        {
            await _process.WaitForExitAsync().WaitAsync(grace);
            return true;
        }
        catch (TimeoutException)
        {
            Crash();
            await _process.WaitForExitAsync();
            return false;
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        Crash();
        _process.WaitForExit(TimeSpan.FromSeconds(10));
        _process.Dispose();
    }

    private void Collect(string? line)
    {
        TaskCompletionSource changed;
        lock (_lock)
        {
            if (line is not null)
            {
                _output.Enqueue(line);
                if (_output.Count > KeptLines)
                {
                    _output.Dequeue();
                }
            }

            changed = _changed;
            _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.TrySetResult();
    }
}
