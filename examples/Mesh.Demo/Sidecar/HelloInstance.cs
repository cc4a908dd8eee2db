using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Mesh.Demo;

/// <summary>
/// One instance of <c>hello</c>: the app (<see cref="HelloApp"/>) on a free loopback port and the built Mesh sidecar
/// next to it, which registers it at its inbound door and probes it. The caller's instance also gets an admin port and
/// an upstream port for <c>hello</c>: the outbound door the demo calls through.
/// </summary>
internal sealed class HelloInstance : IDisposable
{
    private static readonly string SidecarPath = Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "Mesh.Sidecar.exe" : "Mesh.Sidecar");

    private HelloInstance(string name, ChildProcess app, int appPort)
    {
        Name = name;
        App = app;
        AppPort = appPort;
    }

    public string Name { get; }

    public ChildProcess App { get; }

    public int AppPort { get; }

    public ChildProcess Sidecar { get; private set; } = null!;

    /// <summary>Gets the sidecar's inbound address, where the app is registered.</summary>
    public string Inbound { get; private set; } = "";

    /// <summary>Gets the admin port of the caller's sidecar (0 for the others).</summary>
    public int AdminPort { get; private set; }

    /// <summary>Gets the upstream port for <c>hello</c> of the caller's sidecar (0 for the others).</summary>
    public int UpstreamPort { get; private set; }

    public IEnumerable<ChildProcess> Processes => Sidecar is null ? [App] : [App, Sidecar];

    public static async Task<HelloInstance> StartAsync(string name, HelloApp app, string registryDirectory, bool caller, CancellationToken cancellationToken)
    {
        var process = ChildProcess.Start("app " + name, app.Command(name));
        HelloInstance? instance = null;
        try
        {
            var listening = await process.WaitForLineAsync(l => l.StartsWith("listening ", StringComparison.Ordinal), cancellationToken);
            instance = new HelloInstance(name, process, int.Parse(listening["listening ".Length..], CultureInfo.InvariantCulture));
            await instance.StartSidecarAsync(registryDirectory, caller, cancellationToken);
            return instance;
        }
        catch
        {
            if (instance is null)
            {
                process.Dispose();
            }
            else
            {
                instance.Dispose(); // the app's process with it
            }

            throw;
        }
    }

    /// <summary>Stops both gracefully: SIGTERM to the sidecar (maintenance, drain, deregister), stdin closed to the app.</summary>
    public void RequestStop()
    {
        if (!Sidecar.HasExited)
        {
            Sidecar.Terminate();
        }

        App.CloseInput();
    }

    public void Dispose()
    {
        Sidecar?.Dispose();
        App.Dispose();
    }

    private async Task StartSidecarAsync(string registryDirectory, bool caller, CancellationToken cancellationToken)
    {
        if (!File.Exists(SidecarPath))
        {
            throw new InvalidOperationException($"No sidecar at {SidecarPath}: build the demo (dotnet run --project examples/Mesh.Demo builds it).");
        }

        // The caller's two fixed ports are picked free just before; another process may take one meanwhile: try again.
        for (var attempt = 1; ; attempt++)
        {
            (AdminPort, UpstreamPort) = caller ? (FreePort(), FreePort()) : (0, 0);
            var sidecar = ChildProcess.Start("sidecar " + Name, SidecarCommand(registryDirectory));
            try
            {
                var registered = await sidecar.WaitForLineAsync(l => l.Contains(" as hello at ", StringComparison.Ordinal), cancellationToken);
                Inbound = registered[(registered.IndexOf(" as hello at ", StringComparison.Ordinal) + " as hello at ".Length)..].Trim();
                Sidecar = sidecar;
                return;
            }
            catch (InvalidOperationException ex) when (attempt < 3 && ex.Message.Contains("already in use", StringComparison.Ordinal))
            {
                sidecar.Dispose();
            }
            catch
            {
                sidecar.Dispose();
                throw;
            }
        }
    }

    private ProcessStartInfo SidecarCommand(string registryDirectory)
    {
        var start = new ProcessStartInfo(SidecarPath)
        {
            ArgumentList =
            {
                "--service", DemoSettings.HelloServiceName, "--app-port", AppPort.ToString(CultureInfo.InvariantCulture),
                // Port 0: free ports; the sidecar registers the inbound one it bound.
                "--Mesh:Sidecar:Inbound=http://127.0.0.1:0", "--Mesh:Sidecar:Outbound=http://127.0.0.1:0",
                $"--Mesh:Sidecar:Admin=http://127.0.0.1:{AdminPort}",
                $"--Mesh:Sidecar:Probe:Interval={DemoSettings.ProbeInterval:c}", $"--Mesh:Sidecar:Probe:Timeout={DemoSettings.ProbeInterval / 2:c}",
                $"--Mesh:Registration:Tags:0={Name}",
            },
        };
        if (UpstreamPort != 0)
        {
            start.ArgumentList.Add($"--upstream={DemoSettings.HelloServiceName}={UpstreamPort}");
            // As in the library act: round robin reads well with one call at a time.
            start.ArgumentList.Add($"--Mesh:Services:{DemoSettings.HelloServiceName}:Balancing:LoadBalancer=RoundRobin");
        }

        start.Environment["Mesh__Registry"] = "Local";
        start.Environment["Mesh__Local__Directory"] = registryDirectory;
        start.Environment["Mesh__Registration__Ttl"] = $"{DemoSettings.Ttl.TotalSeconds:0}s";
        start.Environment["Mesh__Registration__DrainDelay"] = $"{DemoSettings.DrainDelay.TotalSeconds:0}s";
        return start;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
