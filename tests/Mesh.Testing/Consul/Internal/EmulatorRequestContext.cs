using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Mesh.Testing.Consul.Internal;

/// <summary>One request as a handler sees it: the emulator's state, Consul's query parameters and answer helpers.</summary>
internal sealed class EmulatorRequestContext(
    HttpContext http, EmulatorState state, EmulatorSwitches switches, ConsulEmulatorOptions options, CancellationToken aborted)
{
    private static readonly TimeSpan MaxWait = TimeSpan.FromMinutes(10);

    public HttpContext Http { get; } = http;

    public EmulatorState State { get; } = state;

    public EmulatorSwitches Switches { get; } = switches;

    public ConsulEmulatorOptions Options { get; } = options;

    /// <summary>Cancelled when the client goes away or the emulator stops.</summary>
    public CancellationToken Aborted { get; } = aborted;

    public bool Pretty => Flag("pretty");

    /// <summary>A flag such as <c>?passing</c> or <c>?recurse</c>: present, and not explicitly false.</summary>
    public bool Flag(string name) =>
        Http.Request.Query.TryGetValue(name, out var values) && values.ToString() is not ("false" or "0");

    public string? Value(string name) =>
        Http.Request.Query.TryGetValue(name, out var values) && values.Count > 0 ? values[0] : null;

    public IReadOnlyList<string> Values(string name) =>
        Http.Request.Query.TryGetValue(name, out var values) ? [.. values.Where(v => !string.IsNullOrEmpty(v)).Select(v => v!)] : [];

    public ulong? UnsignedValue(string name, string error)
    {
        var text = Value(name);
        if (text is null)
        {
            return null;
        }

        return ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : throw EmulatorHttpException.BadRequest(error);
    }

    /// <summary>The <c>index</c> to block on; 0 for a plain read.</summary>
    public ulong MinIndex => UnsignedValue("index", "Invalid index") ?? 0;

    /// <summary>The blocking <c>wait</c>, defaulted and capped as Consul does.</summary>
    public TimeSpan Wait
    {
        get
        {
            var text = Value("wait");
            if (text is null)
            {
                return Options.DefaultBlockingWait;
            }

            if (!GoDurationText.TryParse(text, out var wait) || wait < TimeSpan.Zero)
            {
                throw EmulatorHttpException.BadRequest("Invalid wait time");
            }

            return wait > MaxWait ? MaxWait : wait;
        }
    }

    /// <summary>Answers 500 <c>No path to datacenter</c> for a datacenter other than the agent's.</summary>
    public void RequireOwnDatacenter()
    {
        var dc = Value("dc");
        if (!string.IsNullOrEmpty(dc) && !string.Equals(dc, Options.Datacenter, StringComparison.Ordinal))
        {
            throw new EmulatorHttpException(500, "No path to datacenter");
        }
    }

    public EmulatorFilter? Filter()
    {
        var text = Value("filter");
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        return EmulatorFilter.TryParse(text, out var filter, out var error)
            ? filter
            : throw EmulatorHttpException.BadRequest("Failed to create boolean expression evaluator: " + error);
    }

    public async Task<byte[]> ReadBodyAsync()
    {
        using var buffer = new MemoryStream();
        await Http.Request.Body.CopyToAsync(buffer, Aborted).ConfigureAwait(false);
        return buffer.ToArray();
    }

    /// <summary>A read's answer with Consul's query metadata headers.</summary>
    public Task JsonAsync(byte[] body, ulong index, bool withConsistency)
    {
        var headers = Http.Response.Headers;
        if (withConsistency)
        {
            headers["X-Consul-Effective-Consistency"] = "leader";
        }

        IndexHeaders(index);
        return BodyAsync(200, "application/json", body);
    }

    /// <summary>A write's JSON answer (KV's <c>true</c>/<c>false</c>), without query metadata.</summary>
    public Task JsonAsync(byte[] body) => BodyAsync(200, "application/json", body);

    /// <summary>The empty 200 answer of agent writes.</summary>
    public Task EmptyAsync()
    {
        Http.Response.StatusCode = 200;
        Http.Response.ContentLength = 0;
        return Task.CompletedTask;
    }

    /// <summary>KV's answer for a missing key: 404, an empty body, and the index to block on.</summary>
    public Task NotFoundAsync(ulong index)
    {
        IndexHeaders(index);
        Http.Response.StatusCode = 404;
        Http.Response.ContentLength = 0;
        return Task.CompletedTask;
    }

    public async Task BodyAsync(int status, string contentType, byte[] body)
    {
        Http.Response.StatusCode = status;
        Http.Response.ContentType = contentType;
        Http.Response.ContentLength = body.Length;
        await Http.Response.Body.WriteAsync(body, Aborted).ConfigureAwait(false);
    }

    private void IndexHeaders(ulong index)
    {
        var headers = Http.Response.Headers;
        // Consul never answers index 0, so a client that blocks on it really blocks.
        headers["X-Consul-Index"] = Math.Max(index, 1).ToString(CultureInfo.InvariantCulture);
        headers["X-Consul-Knownleader"] = "true";
        headers["X-Consul-Lastcontact"] = "0";
        headers["X-Consul-Query-Backend"] = "blocking-query";
    }
}
