using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Mesh.Testing.Consul.Internal;

/// <summary>Answers with the configured <see cref="EmulatorFault"/> instead of the real answer.</summary>
internal sealed class FaultResponder(EmulatorSwitches switches, EmulatorState state)
{
    private static readonly byte[] OversizedChunk = Encoding.UTF8.GetBytes(
        "{\"Node\":{\"Node\":\"vm\",\"Address\":\"127.0.0.1\"},\"Service\":{\"ID\":\"padding\",\"Service\":\"padding\",\"Port\":1},\"Checks\":[]},");

    /// <summary>Answers the fault that applies to <paramref name="path"/>; <see langword="false"/> to answer normally.</summary>
    public async Task<bool> TryAnswerAsync(HttpContext http, string path, CancellationToken aborted)
    {
        while (true)
        {
            // Take the change signal before reading the switch, so a change in between is never missed.
            var changed = switches.FaultChanged;
            var fault = switches.Fault;
            var prefix = switches.FaultPathPrefix;
            if (fault == EmulatorFault.None || (prefix is not null && !path.StartsWith(prefix, StringComparison.Ordinal)))
            {
                return false;
            }

            switch (fault)
            {
                case EmulatorFault.Unavailable:
                    await PlainAsync(http, 500, "No cluster leader", aborted).ConfigureAwait(false);
                    return true;
                case EmulatorFault.ServiceUnavailable:
                    await PlainAsync(http, 503, "Service Unavailable", aborted).ConfigureAwait(false);
                    return true;
                case EmulatorFault.Garbage:
                    await GarbageAsync(http, aborted).ConfigureAwait(false);
                    return true;
                case EmulatorFault.Oversized:
                    await OversizedAsync(http, aborted).ConfigureAwait(false);
                    return true;
                case EmulatorFault.Disconnect:
                    http.Abort();
                    return true;
                case EmulatorFault.Hang:
                    // Until the switch changes; then answer as whatever it became.
                    await changed.WaitAsync(aborted).ConfigureAwait(false);
                    continue;
                default:
                    return false;
            }
        }
    }

    public static async Task PlainAsync(HttpContext http, int status, string text, CancellationToken aborted)
    {
        var body = Encoding.UTF8.GetBytes(text);
        http.Response.StatusCode = status;
        http.Response.ContentType = "text/plain; charset=utf-8";
        http.Response.ContentLength = body.Length;
        await http.Response.Body.WriteAsync(body, aborted).ConfigureAwait(false);
    }

    private async Task GarbageAsync(HttpContext http, CancellationToken aborted)
    {
        ulong index;
        lock (state.Sync)
        {
            index = state.Index;
        }

        http.Response.Headers["X-Consul-Index"] = index.ToString(CultureInfo.InvariantCulture);
        http.Response.Headers["X-Consul-Knownleader"] = "true";
        http.Response.StatusCode = 200;
        http.Response.ContentType = "application/json";
        await http.Response.Body.WriteAsync("[{\"Node\": {\"ID\": \"143ca097\", <html>Bad Gateway</html>"u8.ToArray(), aborted).ConfigureAwait(false);
    }

    /// <summary>Streams a JSON-looking array without a Content-Length, so a client must enforce its own size limit.</summary>
    private async Task OversizedAsync(HttpContext http, CancellationToken aborted)
    {
        http.Response.StatusCode = 200;
        http.Response.ContentType = "application/json";
        var remaining = (long)switches.OversizedBytes;
        try
        {
            await http.Response.Body.WriteAsync("["u8.ToArray(), aborted).ConfigureAwait(false);
            while (remaining > 0)
            {
                await http.Response.Body.WriteAsync(OversizedChunk, aborted).ConfigureAwait(false);
                remaining -= OversizedChunk.Length;
            }

            await http.Response.Body.WriteAsync("{}]"u8.ToArray(), aborted).ConfigureAwait(false);
        }
        catch (IOException)
        {
            // The client stopped reading at its limit and closed the connection: what a good client does.
        }
    }
}
