using System.Diagnostics;
using System.Globalization;

namespace Mesh.Sidecar.Tests.Examples;

/// <summary>One process of an example, started as a user starts it; its output is kept and can be waited on line by line.</summary>
internal sealed class ExampleProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Lock _lock = new();
    private readonly List<string> _lines = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ExampleProcess(string name, Process process)
    {
        Name = name;
        _process = process;
    }

    public string Name { get; }

    /// <summary>Gets the process id.</summary>
    public int Pid => _process.Id;

    /// <summary>Gets what the process wrote to stdout and stderr so far.</summary>
    public string Output
    {
        get
        {
            lock (_lock)
            {
                return string.Join('\n', _lines);
            }
        }
    }

    public static ExampleProcess Start(string name, string fileName, IEnumerable<string> args, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var example = new ExampleProcess(name, process);
        process.OutputDataReceived += (_, e) => example.Collect(e.Data);
        process.ErrorDataReceived += (_, e) => example.Collect(e.Data);
        process.Exited += (_, _) => example.Collect(null);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return example;
    }

    /// <summary>Waits (bounded) for the first output line that <paramref name="match"/> accepts; fails with the output when the process exits first.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task changed;
            lock (_lock)
            {
                if (_lines.FirstOrDefault(match) is { } line)
                {
                    return line;
                }

                if (_process.HasExited)
                {
                    throw new InvalidOperationException($"{Name} exited ({_process.ExitCode}) before the expected line:\n{string.Join('\n', _lines)}");
                }

                changed = _changed.Task;
            }

            try
            {
                await changed.WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException ex)
            {
                throw new TimeoutException($"{Name} did not print the expected line in time:\n{Output}", ex);
            }
        }
    }

    /// <summary>Waits for ASP.NET Core's "Now listening on: http://127.0.0.1:port" and returns the port.</summary>
    public async Task<int> WaitForListeningPortAsync(CancellationToken cancellationToken)
    {
        var line = await WaitForLineAsync(l => l.Contains("Now listening on: http://", StringComparison.Ordinal), cancellationToken);
        return new Uri(line[line.IndexOf("http://", StringComparison.Ordinal)..].Trim()).Port;
    }

    /// <summary>Waits (bounded) for the process to exit and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException ex)
        {
            throw new TimeoutException($"{Name} did not exit in time:\n{Output}", ex);
        }

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
        TaskCompletionSource changed;
        lock (_lock)
        {
            if (line is not null)
            {
                _lines.Add(line);
            }

            changed = _changed;
            _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.TrySetResult();
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Name}: {Output}");
}
