using System.Globalization;

namespace Mesh.Benchmarks.Proxy;

/// <summary>
/// The built sidecar executable as a child process, as users run it: its own listen ports, the Local registry in the
/// run's temp directory, nothing else configured (no OTEL_* variables: no exporter).
/// </summary>
internal static class SidecarPeer
{
    /// <summary>The Release build next to the sources: what <c>dotnet build -c Release</c> (this harness's build) leaves.</summary>
    public static string DefaultPath()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Mesh.sln")))
        {
            directory = directory.Parent;
        }

        return directory is null
            ? throw new InvalidOperationException("Mesh.sln not found above the harness; pass --sidecar PATH")
            : Path.Combine(directory.FullName, "src", "Mesh.Sidecar", "bin", "Release", "net10.0", "Mesh.Sidecar");
    }

    /// <summary>Starts a sidecar for <paramref name="service"/> in front of 127.0.0.1:<paramref name="appPort"/>.</summary>
    public static ChildProcess Start(string executable, string name, string service, int appPort, SidecarPorts ports, string registry, IReadOnlyDictionary<string, string> environment, string? upstream = null)
    {
        if (!File.Exists(executable))
        {
            throw new FileNotFoundException($"no sidecar at {executable}: build it (dotnet build Mesh.sln -c Release) or pass --sidecar PATH", executable);
        }

        List<string> args =
        [
            "--service", service,
            "--app-port", appPort.ToString(CultureInfo.InvariantCulture),
            $"--Mesh:Sidecar:Inbound=http://127.0.0.1:{ports.Inbound}",
            $"--Mesh:Sidecar:Outbound=http://127.0.0.1:{ports.Outbound}",
            $"--Mesh:Sidecar:Admin=http://127.0.0.1:{ports.Admin}",
            "--Mesh:Registry=Local",
            $"--Mesh:Local:Directory={registry}",
        ];
        if (upstream is not null)
        {
            args.AddRange(["--upstream", $"{upstream}={ports.Upstream}"]);
        }

        return ChildProcess.Start(name, executable, args, environment);
    }
}
