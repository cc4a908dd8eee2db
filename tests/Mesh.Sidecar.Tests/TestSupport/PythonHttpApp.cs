using System.Diagnostics;

namespace Mesh.Sidecar.Tests.TestSupport;

/// <summary>The non-.NET app: <c>Apps/http_app.py</c> (Python's http.server, HTTP/1.1) as a child process on a free port.</summary>
internal sealed class PythonHttpApp : IAsyncDisposable
{
    private readonly Process _process;
    private int _disposed;

    private PythonHttpApp(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    /// <summary>Gets the app's own address (for a test reading <c>/hits</c> past any sidecar).</summary>
    public Uri Uri => new($"http://127.0.0.1:{Port}");

    /// <summary>Starts the app; a <paramref name="failing"/> one answers <c>GET /hello</c> with 503.</summary>
    public static async Task<PythonHttpApp> StartAsync(bool failing = false)
    {
        var start = new ProcessStartInfo("python3")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Apps", "http_app.py"));
        if (failing)
        {
            start.ArgumentList.Add("failing");
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("python3 did not start");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var line = await process.StandardOutput.ReadLineAsync(timeout.Token) ?? throw new InvalidOperationException("python app exited");
        return new PythonHttpApp(process, int.Parse(line.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>Reads, straight from the app, how many requests reached it.</summary>
    public async Task<int> HitsAsync()
    {
        using var http = new HttpClient { BaseAddress = Uri };
        return int.Parse(await http.GetStringAsync(new Uri("/hits", UriKind.Relative)), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Kills the process (SIGKILL, as <c>kill -9</c>); again is a no-op.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
