using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;

namespace Mesh.Benchmarks.Faults;

/// <summary>
/// The harness's handle on one <see cref="FaultInstance"/> child process: started as <c>dotnet Mesh.Benchmarks.dll
/// fault-instance ...</c> on a port of its own that it keeps across restarts, signalled like a real process (kill -9,
/// SIGTERM, SIGSTOP/SIGCONT) and told its faults on stdin.
/// </summary>
internal sealed class InstanceProcess : IAsyncDisposable
{
    private readonly string _consul;
    private Process? _process;
    private Channel<string> _lines = Channel.CreateUnbounded<string>();

    private InstanceProcess(string id, int port, string consul)
    {
        Id = id;
        Port = port;
        _consul = consul;
    }

    public string Id { get; }

    public int Port { get; }

    public bool IsRunning => _process is { HasExited: false };

    public static async Task<InstanceProcess> StartAsync(string id, string consul)
    {
        var instance = new InstanceProcess(id, FreePort(), consul);
        await instance.RestartAsync();
        return instance;
    }

    /// <summary>Starts the process (again, on the same port) and waits until it serves.</summary>
    public async Task RestartAsync()
    {
        var dll = typeof(InstanceProcess).Assembly.Location;
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { dll, "fault-instance", "--id", Id, "--port", Port.ToString(CultureInfo.InvariantCulture), "--consul", _consul })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["DOTNET_gcServer"] = "0";
        var lines = Channel.CreateUnbounded<string>();
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { if (e.Data is { } line) { lines.Writer.TryWrite(line); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is { } line) { Console.Error.WriteLine($"  [{Id}] {line}"); } };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        _lines = lines;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (await lines.Reader.ReadAsync(timeout.Token) is var line && !line.StartsWith("ready", StringComparison.Ordinal))
        {
        }
    }

    public void Kill() => Signal(9);

    public void Terminate() => Signal(15);

    public void Freeze() => Signal(19);

    public void Thaw() => Signal(18);

    public Task WaitForExitAsync(CancellationToken cancellationToken) => _process?.WaitForExitAsync(cancellationToken) ?? Task.CompletedTask;

    public void Send(string command)
    {
        if (IsRunning)
        {
            _process!.StandardInput.WriteLine(command);
            _process.StandardInput.Flush();
        }
    }

    /// <summary>Asks the instance how many calls it has received.</summary>
    public async Task<long> GetCallCountAsync()
    {
        Send("stats");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            var line = await _lines.Reader.ReadAsync(timeout.Token);
            if (line.StartsWith("stats ", StringComparison.Ordinal))
            {
                return long.Parse(line.AsSpan(6), CultureInfo.InvariantCulture);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (IsRunning)
        {
            Thaw();
            Kill();
            await _process!.WaitForExitAsync();
        }

        _process?.Dispose();
    }

    private void Signal(int signal)
    {
        if (IsRunning)
        {
            using var kill = Process.Start("kill", [$"-{signal}", _process!.Id.ToString(CultureInfo.InvariantCulture)]);
            kill.WaitForExit();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
