using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Mesh.Sidecar.Configuration.Internal;

/// <summary>
/// Checks <c>Mesh:Sidecar</c> at start. Every message names the key and what is allowed; all problems are reported
/// at once. A port already taken by another process is found when binding (see <c>SidecarHost</c>).
/// </summary>
internal sealed partial class SidecarOptionsValidator : IValidateOptions<SidecarOptions>
{
    public ValidateOptionsResult Validate(string? name, SidecarOptions options)
    {
        var failures = new List<string>(options.ReadErrors);
        if (options.AppPort is null && !options.ReadErrors.Exists(e => e.StartsWith(Key("AppPort"), StringComparison.Ordinal)))
        {
            failures.Add($"{Key("AppPort")} is required: the port the app listens on at 127.0.0.1, from 1 to 65535 (--app-port 5000).");
        }

        var listeners = new List<ListenAddress>();
        foreach (var (key, url) in new[] { (Key("Inbound"), options.Inbound), (Key("Outbound"), options.Outbound), (Key("Admin"), options.Admin) })
        {
            if (ListenAddress.TryParse(key, url, out var error) is { } address)
            {
                listeners.Add(address);
            }
            else
            {
                failures.Add(error!);
            }
        }

        if (listeners.Find(l => l.Key == Key("Admin")) is { IsLoopback: false } admin && !options.AllowNonLoopbackAdmin)
        {
            failures.Add($"{Key("Admin")} is {admin}, which is not a loopback address: the admin endpoints show configuration and " +
                $"metrics. Bind it to 127.0.0.1, or set {Key("AllowNonLoopbackAdmin")}=true to expose it on purpose.");
        }

        // Every fixed port must be distinct: the listeners, the upstream ports and the app's own port.
        var taken = new List<(string Key, int Port)>();
        taken.AddRange(listeners.Where(l => l.Port != 0).Select(l => (l.Key, l.Port)));
        if (options.AppPort is { } appPort)
        {
            taken.Add((Key("AppPort"), appPort));
        }

        foreach (var (service, port) in options.Upstreams.OrderBy(u => u.Key, StringComparer.Ordinal))
        {
            if (!ServiceName().IsMatch(service))
            {
                failures.Add($"{Key("Upstreams:" + service)}: '{service}' is not a service name ([A-Za-z0-9][A-Za-z0-9._-]*).");
            }

            taken.Add((Key("Upstreams:" + service), port));
        }

        for (var i = 0; i < taken.Count; i++)
        {
            for (var j = i + 1; j < taken.Count; j++)
            {
                if (taken[i].Port == taken[j].Port)
                {
                    failures.Add($"{taken[j].Key} (port {taken[j].Port}) collides with {taken[i].Key} (port {taken[i].Port}): each listener, upstream and the app need a port of their own.");
                }
            }
        }

        ValidateProbe(options.Probe, failures);
        if (options.MaxRetryBodyBytes < 0)
        {
            failures.Add($"{Key("MaxRetryBodyBytes")} must be 0 or more (bytes); got {options.MaxRetryBodyBytes}.");
        }

        if (options.IdleTimeout <= TimeSpan.Zero)
        {
            failures.Add($"{Key("IdleTimeout")} must be greater than zero; got {options.IdleTimeout}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void ValidateProbe(ProbeOptions probe, List<string> failures)
    {
        if (probe.Interval <= TimeSpan.Zero)
        {
            failures.Add($"{Key("Probe:Interval")} must be greater than zero; got {probe.Interval}.");
        }

        if (probe.Timeout <= TimeSpan.Zero || probe.Timeout > probe.Interval)
        {
            failures.Add($"{Key("Probe:Timeout")} must be greater than zero and at most {Key("Probe:Interval")} ({probe.Interval}); got {probe.Timeout}.");
        }

        if (probe.Kind == ProbeKind.Http && !probe.Path.StartsWith('/'))
        {
            failures.Add($"{Key("Probe:Path")} must start with '/'; got '{probe.Path}'.");
        }
    }

    private static string Key(string name) => SidecarOptionsReader.Key(name);

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]*$")]
    private static partial Regex ServiceName();
}
