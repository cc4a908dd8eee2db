using System.Diagnostics;

namespace Mesh.Demo;

/// <summary>A child process running <see cref="GreeterInstance"/>.</summary>
internal sealed class InstanceProcess : IDisposable
{
    private readonly Process _process;

    private InstanceProcess(string name, Process process)
    {
        Name = name;
        _process = process;
    }

    public string Name { get; }

    public static InstanceProcess Start(string name, string registryDirectory)
    {
        var start = new ProcessStartInfo
        {
            RedirectStandardInput = true,
            UseShellExecute = false,
        };

        // Run the same program: through its app host when there is one, else through `dotnet <dll>`.
        var self = Environment.ProcessPath!;
        start.FileName = self;
        if (Path.GetFileNameWithoutExtension(self).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            start.ArgumentList.Add(typeof(InstanceProcess).Assembly.Location);
        }

        start.ArgumentList.Add("instance");
        start.ArgumentList.Add(name);
        start.Environment["Mesh__Registry"] = "Local";
        start.Environment["Mesh__Local__Directory"] = registryDirectory;
        return new InstanceProcess(name, Process.Start(start) ?? throw new InvalidOperationException("Could not start an instance."));
    }

    /// <summary>Asks for a graceful stop (the instance goes into maintenance, drains and deregisters) without waiting for it.</summary>
    public void RequestStop() => _process.StandardInput.Close();

    /// <summary>Waits (bounded) for the process to exit.</summary>
    public Task WaitForExitAsync() => _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));

    /// <summary>Kills the process outright: no deregistration, its lease has to run out.</summary>
    public void Crash() => _process.Kill(entireProcessTree: true);

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }
}
