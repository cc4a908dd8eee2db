using System.ComponentModel;
using System.Diagnostics;

namespace Mesh.Demo;

/// <summary>
/// The sidecar act's app, which knows nothing of Mesh: <c>hello_app.py</c> on Python's http.server when python3 is on
/// PATH (the best case: not .NET at all), else <see cref="PlainHttpApp"/>, a plain ASP.NET Core app.
/// </summary>
/// <param name="Kind">How the demo names it: <c>python3 http.server</c> or <c>plain ASP.NET Core</c>.</param>
/// <param name="Command">The command line that starts the instance of a name.</param>
internal sealed record HelloApp(string Kind, Func<string, ProcessStartInfo> Command)
{
    /// <summary>The app <paramref name="requested"/> (auto, python or dotnet); null when python is asked for and missing.</summary>
    public static HelloApp? Choose(string requested)
    {
        var python = requested is "auto" or "python" ? FindPython() : null;
        if (python is not null)
        {
            var script = Path.Combine(AppContext.BaseDirectory, "hello_app.py");
            return new HelloApp("python3 http.server", name => new ProcessStartInfo(python) { ArgumentList = { script, name } });
        }

        return requested == "python" ? null : new HelloApp("plain ASP.NET Core", name => SelfCommand.Create("plain-app", name));
    }

    private static string? FindPython()
    {
        foreach (var candidate in OperatingSystem.IsWindows() ? new[] { "python3", "python" } : ["python3"])
        {
            try
            {
                using var probe = Process.Start(new ProcessStartInfo(candidate, ["-c", "from http.server import ThreadingHTTPServer"])
                {
                    RedirectStandardOutput = true,
                    RedirectStandardError = true,
                    UseShellExecute = false,
                });
                if (probe is not null && probe.WaitForExit(TimeSpan.FromSeconds(10)) && probe.ExitCode == 0)
                {
                    return candidate;
                }

                probe?.Kill();
            }
            catch (Win32Exception)
            {
                // Not installed under that name.
            }
        }

        return null;
    }
}
