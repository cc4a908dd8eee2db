using System.Diagnostics;

namespace Mesh.Sidecar.Tests.TestSupport;

/// <summary>The non-.NET app: <c>Apps/http_app.py</c> (Python's http.server, HTTP/1.1) as a child process on a free port.</summary>
internal sealed class PythonHttpApp : IAsyncDisposable
{
    private readonly Process _process;

    private PythonHttpApp(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public static async Task<PythonHttpApp> StartAsync()
    {
        var start = new ProcessStartInfo("python3")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Apps", "http_app.py"));
        var process = Process.Start(start) ?? throw new InvalidOperationException("python3 did not start");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var line = await process.StandardOutput.ReadLineAsync(timeout.Token) ?? throw new InvalidOperationException("python app exited");
        return new PythonHttpApp(process, int.Parse(line.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture));
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
}
