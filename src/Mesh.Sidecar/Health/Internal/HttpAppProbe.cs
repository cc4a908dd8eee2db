using System.Net;

namespace Mesh.Sidecar.Health.Internal;

/// <summary>Healthy when an HTTP/1.1 GET of the probe path answers 2xx or 3xx (as Kubernetes' httpGet probe).</summary>
internal sealed class HttpAppProbe(int port, string path) : IAppProbe, IDisposable
{
    // Its own connections: a probe must not queue behind forwarded traffic, nor ride a connection the app has dropped.
    private readonly HttpMessageInvoker _client = new(new SocketsHttpHandler
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        UseCookies = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(1),
    });

    private readonly Uri _url = new($"http://127.0.0.1:{port}{path}");

    public string Description => $"HTTP GET {_url}";

    public async Task<ProbeResult> ProbeAsync(CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, _url) { Version = HttpVersion.Version11 };
        try
        {
            using var response = await _client.SendAsync(request, cancellationToken).ConfigureAwait(false);
            var code = (int)response.StatusCode;
            return new(code is >= 200 and < 400, $"{Description}: {code} {response.ReasonPhrase}");
        }
        catch (HttpRequestException ex)
        {
            return new(false, $"{Description}: {ex.HttpRequestError} ({ex.Message})");
        }
    }

    public void Dispose() => _client.Dispose();
}
