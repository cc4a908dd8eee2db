using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Mesh.Testing.Consul.Internal;

/// <summary>
/// The emulator's one request handler: records the request, applies the fault switch and the ACL token, then routes
/// by path prefix to the endpoint handlers. Errors answer as Consul does: a status and a plain-text body.
/// </summary>
internal sealed class EmulatorRouter(EmulatorState state, EmulatorSwitches switches, ConsulEmulatorOptions options, RequestLog log, CancellationToken stopping)
{
    private static readonly Route[] Routes =
    [
        new("/v1/agent/service/register", true, "PUT", AgentServiceEndpoints.RegisterAsync),
        new("/v1/agent/service/deregister/", false, "PUT", AgentServiceEndpoints.DeregisterAsync),
        new("/v1/agent/service/maintenance/", false, "PUT", AgentServiceEndpoints.MaintenanceAsync),
        new("/v1/agent/services", true, "GET", AgentServiceEndpoints.ServicesAsync),
        new("/v1/agent/checks", true, "GET", AgentServiceEndpoints.ChecksAsync),
        new("/v1/agent/check/pass/", false, "PUT", AgentCheckEndpoints.PassAsync),
        new("/v1/agent/check/warn/", false, "PUT", AgentCheckEndpoints.WarnAsync),
        new("/v1/agent/check/fail/", false, "PUT", AgentCheckEndpoints.FailAsync),
        new("/v1/agent/check/update/", false, "PUT", AgentCheckEndpoints.UpdateAsync),
        new("/v1/health/service/", false, "GET", HealthEndpoints.ServiceAsync),
        new("/v1/health/checks/", false, "GET", HealthEndpoints.ChecksAsync),
        new("/v1/catalog/services", true, "GET", CatalogEndpoints.ServicesAsync),
        new("/v1/catalog/service/", false, "GET", CatalogEndpoints.ServiceAsync),
        new("/v1/kv/", false, "GET", KvEndpoints.GetAsync),
        new("/v1/kv/", false, "PUT", KvEndpoints.PutAsync),
        new("/v1/kv/", false, "DELETE", KvEndpoints.DeleteAsync),
        new("/v1/status/leader", true, "GET", (r, _) => r.JsonAsync("\"127.0.0.1:8300\""u8.ToArray())),
    ];

    private readonly FaultResponder _faults = new(switches, state);

    public async Task HandleAsync(HttpContext http)
    {
        var path = DecodedPath(http);
        var received = new EmulatorRequest(http.Request.Method, path, WithoutToken(http.Request.QueryString.Value ?? ""), TokenOf(http) is not null);
        log.Received(received);
        using var aborted = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, stopping);
        try
        {
            if (await _faults.TryAnswerAsync(http, path, aborted.Token).ConfigureAwait(false))
            {
                return;
            }

            http.Response.Headers["Vary"] = "Accept-Encoding";
            http.Response.Headers["X-Consul-Default-Acl-Policy"] = switches.RequiredToken is null ? "allow" : "deny";
            if (Denied(http, path) is { } denial)
            {
                throw new EmulatorHttpException(403, denial);
            }

            await DispatchAsync(new EmulatorRequestContext(http, state, switches, options, aborted.Token), path).ConfigureAwait(false);
        }
        catch (EmulatorHttpException ex) when (!http.Response.HasStarted)
        {
            await FaultResponder.PlainAsync(http, ex.StatusCode, ex.Message, aborted.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            http.Abort(); // the client left or the emulator is stopping: nobody is listening
        }
        finally
        {
            log.Answered(received);
        }
    }

    private static Task DispatchAsync(EmulatorRequestContext request, string path)
    {
        var method = request.Http.Request.Method;
        var matches = Routes.Where(r => r.Exact ? path == r.Path : path.StartsWith(r.Path, StringComparison.Ordinal)).ToList();
        if (matches.Count == 0)
        {
            throw new EmulatorHttpException(404, "404 page not found");
        }

        var route = matches.Find(r => r.Method == method) ?? throw new EmulatorHttpException(405, $"method {method} not allowed");
        return route.Handler(request, route.Exact ? "" : path[route.Path.Length..]);
    }

    /// <summary>Consul's answers for a missing or unknown token: anonymous is denied, an unknown secret is not found.</summary>
    private string? Denied(HttpContext http, string path)
    {
        var required = switches.RequiredToken;
        if (required is null || path.StartsWith("/v1/status/", StringComparison.Ordinal))
        {
            return null;
        }

        var token = TokenOf(http);
        return token is null ? "Permission denied" : token == required ? null : "ACL not found";
    }

    private static string? TokenOf(HttpContext http)
    {
        var header = http.Request.Headers["X-Consul-Token"].ToString();
        if (header.Length > 0)
        {
            return header;
        }

        var authorization = http.Request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return authorization["Bearer ".Length..].Trim();
        }

        return http.Request.Query.TryGetValue("token", out var query) && query.ToString().Length > 0 ? query.ToString() : null;
    }

    /// <summary>Keeps a <c>?token=</c> secret out of the request log.</summary>
    private static string WithoutToken(string query) =>
        string.Join('&', query.Split('&').Select(p => p.TrimStart('?').StartsWith("token=", StringComparison.Ordinal) ? (p.StartsWith('?') ? "?" : "") + "token=redacted" : p));

    /// <summary>The path as Consul's router sees it: percent-decoded once, <c>%2F</c> included.</summary>
    private static string DecodedPath(HttpContext http)
    {
        var raw = http.Features.Get<IHttpRequestFeature>()?.RawTarget ?? http.Request.Path.Value ?? "/";
        var query = raw.IndexOf('?', StringComparison.Ordinal);
        return Uri.UnescapeDataString(query < 0 ? raw : raw[..query]);
    }

    private sealed record Route(string Path, bool Exact, string Method, Func<EmulatorRequestContext, string, Task> Handler);
}
