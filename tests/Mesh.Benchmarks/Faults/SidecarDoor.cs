using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Mesh.Benchmarks.Proxy;

namespace Mesh.Benchmarks.Faults;

/// <summary>
/// The sidecar door: the built sidecar executable as the caller's sidecar (a child process), with <c>echo</c> as an
/// upstream port. The load sends gRPC over h2c to that port; the sidecar's outbound door discovers the three instances
/// in the same Consul (through the same registry proxy as the library client) and balances, retries and ejects with
/// the same policy core. The instances register themselves (Mesh's registration) at their own ports: a caller without
/// the library in front of services that have it. What the sidecar sees is read from its admin <c>/endpoints</c>.
/// </summary>
internal sealed class SidecarDoor : IAsyncDisposable
{
    private readonly ChildProcess _process;
    private readonly HttpClient _admin = new() { Timeout = TimeSpan.FromSeconds(5) };
    private readonly int _adminPort;

    private SidecarDoor(ChildProcess process, int upstreamPort, int adminPort)
    {
        _process = process;
        UpstreamPort = upstreamPort;
        _adminPort = adminPort;
    }

    /// <summary>Gets the caller sidecar's local port of the <c>echo</c> upstream (h2c and HTTP/1.1).</summary>
    public int UpstreamPort { get; }

    /// <summary>Gets the sidecar's process id (its threads and descriptors are the client's in this door).</summary>
    public int ProcessId => _process.Id;

    public static async Task<SidecarDoor> StartAsync(string? executable, Uri registry)
    {
        int upstream = FreePort(), admin = FreePort(), inbound = FreePort(), outbound = FreePort(), app = FreePort();
        var service = FaultHarness.ServiceName;
        List<string> args =
        [
            "--service", $"{service}-caller",
            "--app-port", app.ToString(CultureInfo.InvariantCulture), // the caller app itself is not under test
            "--upstream", $"{service}={upstream}",
            $"--Mesh:Sidecar:Inbound=http://127.0.0.1:{inbound}",
            $"--Mesh:Sidecar:Outbound=http://127.0.0.1:{outbound}",
            $"--Mesh:Sidecar:Admin=http://127.0.0.1:{admin}",
            "--Mesh:Registry=Consul",
            $"--Mesh:Consul:Address={registry}",
            $"--Mesh:Services:{service}:Policy:Methods:mesh.testing.v1.EchoService/Echo:Idempotent=true",
        ];
        var path = executable ?? SidecarPeer.DefaultPath();
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"no sidecar at {path}: build it (dotnet build Mesh.sln -c Release) or pass --sidecar PATH", path);
        }

        var door = new SidecarDoor(ChildProcess.Start("caller-sidecar", path, args, new Dictionary<string, string> { ["DOTNET_gcServer"] = "0" }), upstream, admin);
        await door.WaitForUpstreamAsync(TimeSpan.FromSeconds(60));
        return door;
    }

    /// <summary>Returns the sidecar's instances of the service: id and whether it is ejected.</summary>
    public async Task<IReadOnlyList<(string Id, bool Ejected)>> GetInstancesAsync()
    {
        _process.ThrowIfExited();
        using var document = JsonDocument.Parse(await _admin.GetStringAsync(new Uri($"http://127.0.0.1:{_adminPort}/endpoints")));
        return document.RootElement.GetProperty("upstreams").EnumerateArray()
            .Where(u => u.GetProperty("service").GetString() == FaultHarness.ServiceName)
            .SelectMany(u => u.GetProperty("instances").EnumerateArray())
            .Select(i => (i.GetProperty("id").GetString()!, i.GetProperty("ejected").GetBoolean()))
            .ToList();
    }

    /// <summary>Waits until the sidecar ejects <paramref name="id"/>; returns when, or null.</summary>
    public async Task<long?> WaitForEjectionAsync(string id, TimeSpan max)
    {
        var started = OpenLoopDriver.Now;
        while (FaultContext.Since(started) < max)
        {
            if ((await GetInstancesAsync()).Any(i => i.Id == id && i.Ejected))
            {
                return OpenLoopDriver.Now;
            }

            // Another process's state: /endpoints is the only way to read it, so it is polled (bounded, 50 ms apart).
            await Task.Delay(TimeSpan.FromMilliseconds(50));
        }

        return null;
    }

    public async ValueTask DisposeAsync()
    {
        _admin.Dispose();
        await _process.DisposeAsync();
    }

    private async Task WaitForUpstreamAsync(TimeSpan max)
    {
        var started = OpenLoopDriver.Now;
        while (true)
        {
            _process.ThrowIfExited();
            try
            {
                if ((await GetInstancesAsync()).Count > 0)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            if (FaultContext.Since(started) > max)
            {
                throw new TimeoutException($"the caller sidecar listed no instance within {max.TotalSeconds:0} s:\n{_process.Output}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100)); // a child's start-up: nothing to await across processes
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
