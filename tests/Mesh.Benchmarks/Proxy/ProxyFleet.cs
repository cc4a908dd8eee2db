using System.Net;
using System.Net.Sockets;
using Mesh.Testing.Grpc;

namespace Mesh.Benchmarks.Proxy;

/// <summary>
/// Everything a run needs, started once: the two backends (in this process: Kestrel, gRPC echo over h2c and HTTP/1.1
/// 1 KiB), nginx, haproxy and the sidecars as child processes, and the paths through them, each checked once.
/// </summary>
internal sealed class ProxyFleet : IAsyncDisposable
{
    private readonly List<ChildProcess> _processes = [];
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"mesh-proxy-bench-{Environment.ProcessId}");

    /// <summary>Gets the run's temp directory (configs, registry, h2load files), deleted at the end.</summary>
    public string WorkDirectory => _directory;

    private ProxyFleet(TestGrpcServer grpc, HttpBackend http)
    {
        Grpc = grpc;
        Http = http;
    }

    /// <summary>Gets the gRPC echo backend.</summary>
    public TestGrpcServer Grpc { get; }

    /// <summary>Gets the HTTP/1.1 backend.</summary>
    public HttpBackend Http { get; }

    /// <summary>Gets the selected paths, both protocols.</summary>
    public List<ProxyPath> Paths { get; } = [];

    /// <summary>Gets the proxy processes with their idle memory, read once every path answered.</summary>
    public List<(ChildProcess Process, ProcSample Idle)> Idle { get; } = [];

    /// <summary>Gets the backend's count of answered requests of a protocol.</summary>
    public long BackendCount(string protocol) => protocol == "grpc" ? Grpc.CallCount : Http.Requests;

    public static async Task<ProxyFleet> StartAsync(ProxyOptions options, IReadOnlyList<string> paths, IReadOnlyList<string> protocols)
    {
        var fleet = new ProxyFleet(await TestGrpcServer.StartAsync("bench"), await HttpBackend.StartAsync());
        try
        {
            await fleet.StartPathsAsync(options, paths, protocols);
            return fleet;
        }
        catch
        {
            await fleet.DisposeAsync();
            throw;
        }
    }

    private async Task StartPathsAsync(ProxyOptions options, IReadOnlyList<string> paths, IReadOnlyList<string> protocols)
    {
        Directory.CreateDirectory(_directory);
        Dictionary<string, int> backend = new() { ["grpc"] = Grpc.Port, ["http"] = Http.Port };
        if (paths.Contains("direct"))
        {
            Paths.AddRange(protocols.Select(p => new ProxyPath("direct", p, backend[p], [])));
        }

        foreach (var (name, start) in new (string, Func<string, int, int, int, int, ChildProcess>)[] { ("nginx", NginxPeer.Start), ("haproxy", HaproxyPeer.Start) })
        {
            if (paths.Contains(name))
            {
                int grpcPort = FreePort(), httpPort = FreePort();
                var process = Track(start(Path.Combine(_directory, name), grpcPort, httpPort, Grpc.Port, Http.Port));
                await WaitForPortAsync(process, grpcPort);
                Paths.AddRange(protocols.Select(p => new ProxyPath(name, p, p == "grpc" ? grpcPort : httpPort, [process])));
            }
        }

        if (paths.Contains("sidecar") || paths.Contains("mesh2"))
        {
            var executable = options.Sidecar ?? SidecarPeer.DefaultPath();
            var registry = Path.Combine(_directory, "registry");
            foreach (var protocol in protocols)
            {
                var inboundPorts = new SidecarPorts(FreePort(), FreePort(), FreePort(), 0);
                var inbound = Track(SidecarPeer.Start(executable, $"sidecar-{protocol}", $"bench-{protocol}", backend[protocol], inboundPorts, registry, options.SidecarEnvironment));
                await WaitForReadyAsync(inbound, inboundPorts.Admin);
                if (paths.Contains("sidecar"))
                {
                    Paths.Add(new ProxyPath("sidecar", protocol, inboundPorts.Inbound, [inbound]));
                    foreach (var variant in options.Variants)
                    {
                        // Its own service name: the two-hop path's discovery must see only the first sidecar.
                        var ports = new SidecarPorts(FreePort(), FreePort(), FreePort(), 0);
                        var environment = new Dictionary<string, string>(options.SidecarEnvironment);
                        variant.Environment.ToList().ForEach(e => environment[e.Key] = e.Value);
                        var other = Track(SidecarPeer.Start(variant.Executable ?? executable, $"sidecar:{variant.Label}-{protocol}", $"bench-{protocol}-{variant.Label}", backend[protocol], ports, registry, environment));
                        await WaitForReadyAsync(other, ports.Admin);
                        Paths.Add(new ProxyPath($"sidecar:{variant.Label}", protocol, ports.Inbound, [other]));
                    }
                }

                if (paths.Contains("mesh2"))
                {
                    var callerPorts = new SidecarPorts(FreePort(), FreePort(), FreePort(), FreePort());
                    var caller = Track(SidecarPeer.Start(executable, $"caller-{protocol}", $"bench-caller-{protocol}", backend[protocol], callerPorts, registry, options.SidecarEnvironment, $"bench-{protocol}"));
                    await WaitForReadyAsync(caller, callerPorts.Admin);
                    Paths.Add(new ProxyPath("mesh2", protocol, callerPorts.Upstream, [caller, inbound]));
                }
            }
        }

        await PathCheck.CheckAllAsync(Paths, _directory);
        foreach (var process in _processes)
        {
            Idle.Add((process, ProcSample.Read([process.Id])));
        }
    }

    private ChildProcess Track(ChildProcess process)
    {
        _processes.Add(process);
        return process;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task WaitForPortAsync(ChildProcess process, int port)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (true)
        {
            process.ThrowIfExited();
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50, timeout.Token); // polling a child's start-up: it reports readiness on no channel we can await
            }
        }
    }

    private static async Task WaitForReadyAsync(ChildProcess process, int adminPort)
    {
        using var client = new HttpClient();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            process.ThrowIfExited();
            try
            {
                using var response = await client.GetAsync(new Uri($"http://127.0.0.1:{adminPort}/ready"), timeout.Token);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested)
            {
                throw new TimeoutException($"{process.Name} not ready within 60 s:\n{process.Output}");
            }

            await Task.Delay(100, timeout.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }

        await Grpc.DisposeAsync();
        await Http.DisposeAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
