using Mesh.Sidecar.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Mesh.Sidecar;

/// <summary>The executable: flags, help, start, wait for SIGTERM (the host drains), exit codes.</summary>
internal static class SidecarProgram
{
    /// <summary>Exit code of a bad command line or setting.</summary>
    public const int InvalidSettings = 2;

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        var parsed = SidecarArguments.Parse(args);
        if (parsed.ShowHelp)
        {
            await output.WriteLineAsync(SidecarHelp.Text).ConfigureAwait(false);
            return 0;
        }

        if (parsed.Error is { } usage)
        {
            await error.WriteLineAsync($"mesh-sidecar: {usage} Run with --help for the flags and keys.").ConfigureAwait(false);
            return InvalidSettings;
        }

        var app = SidecarHost.Build(parsed.ConfigurationArgs);
        await using (app.ConfigureAwait(false))
        {
            try
            {
                await SidecarHost.StartAsync(app).ConfigureAwait(false);
            }
            catch (OptionsValidationException ex)
            {
                foreach (var failure in ex.Failures)
                {
                    await error.WriteLineAsync($"mesh-sidecar: {failure}").ConfigureAwait(false);
                }

                return InvalidSettings;
            }
            catch (SidecarStartupException ex)
            {
                await error.WriteLineAsync($"mesh-sidecar: {ex.Message}").ConfigureAwait(false);
                return InvalidSettings;
            }

            // SIGTERM/Ctrl-C: maintenance, drain (still forwarding), deregister, then Kestrel finishes what is in flight.
            await app.WaitForShutdownAsync().ConfigureAwait(false);
            return 0;
        }
    }
}
