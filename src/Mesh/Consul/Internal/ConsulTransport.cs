using System.Buffers;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;

namespace Mesh.Consul.Internal;

/// <summary>
/// Sends requests to the agent: adds the token and datacenter, applies timeouts longer than the blocking wait,
/// reads bodies with a size cap, and turns every failure into a <see cref="ConsulException"/> without secrets.
/// </summary>
internal sealed partial class ConsulTransport
{
    private const string TokenHeader = "X-Consul-Token";
    private const int MaxErrorTextLength = 1024;

    private readonly HttpClient _httpClient;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    public ConsulTransport(HttpClient httpClient, ConsulSettings settings, TimeProvider timeProvider, ILogger logger)
    {
        _httpClient = httpClient;
        _httpClient.Timeout = Timeout.InfiniteTimeSpan; // timeouts are per request, sized to the blocking wait
        Settings = settings;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    public ConsulSettings Settings { get; }

    /// <summary>Reads JSON; a 404 answers <paramref name="notFound"/> when it is given (a missing KV key).</summary>
    public async Task<ConsulResponse<T>> GetAsync<T>(
        ConsulQueryString path, ConsulQueryOptions options, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken, Func<T>? notFound = null)
    {
        path.Add("dc", options.Datacenter ?? Settings.Datacenter).Add("filter", options.Filter);
        TimeSpan? wait = null;
        if (options.Index > 0)
        {
            wait = options.Wait ?? Settings.BlockingWait;
            if (wait > ConsulDefaults.MaxBlockingWait)
            {
                wait = ConsulDefaults.MaxBlockingWait;
            }

            path.Add("index", options.Index).Add("wait", GoDuration.Format(wait.Value));
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, path.ToString());
        using var response = await SendAsync(request, wait, cancellationToken).ConfigureAwait(false);
        var index = ReadIndex(response);
        if (response.StatusCode == HttpStatusCode.NotFound && notFound is not null)
        {
            return new ConsulResponse<T>(notFound(), index, ReadKnownLeader(response), ReadLastContact(response));
        }

        await EnsureSuccessAsync(request, response, cancellationToken).ConfigureAwait(false);
        var value = await ReadJsonAsync(request, response, typeInfo, cancellationToken).ConfigureAwait(false);
        return new ConsulResponse<T>(value, index, ReadKnownLeader(response), ReadLastContact(response));
    }

    /// <summary>Writes (PUT/DELETE) and returns the plain body Consul answered.</summary>
    public async Task<string> SendAsync(HttpMethod method, ConsulQueryString path, HttpContent? content, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path.ToString()) { Content = content };
        using var response = await SendAsync(request, null, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(request, response, cancellationToken).ConfigureAwait(false);
        return await ReadTextAsync(response, Settings.MaxResponseBytes, cancellationToken).ConfigureAwait(false);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, TimeSpan? blockingWait, CancellationToken cancellationToken)
    {
        if (Settings.Token is { } token)
        {
            request.Headers.TryAddWithoutValidation(TokenHeader, token);
        }

        // Consul adds up to wait/16 of jitter to a blocking query; the request timeout comes on top of both.
        var timeout = Settings.RequestTimeout + (blockingWait is { } w ? w + (w / 16) : TimeSpan.Zero);
        using var timeoutSource = new CancellationTokenSource(timeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutSource.Token);
        try
        {
            return await _httpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ConsulException($"Consul at {Settings.BaseAddress} did not answer {request.Method} {PathOf(request)} within {timeout.TotalSeconds:0.#} s.", ex);
        }
        catch (HttpRequestException ex)
        {
            var path = PathOf(request);
            Log.Unreachable(_logger, Settings.BaseAddress, request.Method.Method, path, ex.Message);
            throw new ConsulException($"Consul at {Settings.BaseAddress} could not be reached for {request.Method} {path}: {ex.Message}", ex);
        }
    }

    private async Task EnsureSuccessAsync(HttpRequestMessage request, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        string text;
        try
        {
            text = (await ReadTextAsync(response, MaxErrorTextLength * 4, cancellationToken).ConfigureAwait(false)).Trim();
        }
        catch (ConsulException)
        {
            text = "(error body too large)";
        }

        if (text.Length > MaxErrorTextLength)
        {
            text = text[..MaxErrorTextLength] + "…";
        }

        var path = PathOf(request);
        Log.ErrorStatus(_logger, request.Method.Method, path, (int)response.StatusCode, text);
        throw new ConsulException(
            $"Consul answered {(int)response.StatusCode} ({response.StatusCode}) to {request.Method} {path}: {text}",
            response.StatusCode,
            text);
    }

    private async Task<T> ReadJsonAsync<T>(HttpRequestMessage request, HttpResponseMessage response, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
    {
        var (buffer, length) = await ReadBoundedAsync(response, Settings.MaxResponseBytes, cancellationToken).ConfigureAwait(false);
        try
        {
            return JsonSerializer.Deserialize(buffer.AsSpan(0, length), typeInfo)
                ?? throw new ConsulException($"Consul answered {request.Method} {PathOf(request)} with a null body.");
        }
        catch (JsonException ex)
        {
            throw new ConsulException($"Consul answered {request.Method} {PathOf(request)} with a body that is not the expected JSON: {ex.Message}", ex);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async Task<string> ReadTextAsync(HttpResponseMessage response, int maxBytes, CancellationToken cancellationToken)
    {
        var (buffer, length) = await ReadBoundedAsync(response, maxBytes, cancellationToken).ConfigureAwait(false);
        try
        {
            return Encoding.UTF8.GetString(buffer, 0, length);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Reads the body into a pooled buffer, failing as soon as it passes <paramref name="maxBytes"/>.</summary>
    private static async Task<(byte[] Buffer, int Length)> ReadBoundedAsync(HttpResponseMessage response, int maxBytes, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentLength is { } declared && declared > maxBytes)
        {
            throw new ConsulException($"Consul's answer declares {declared} bytes, over the {maxBytes}-byte limit (Mesh:Consul:MaxResponseBytes).");
        }

        var buffer = ArrayPool<byte>.Shared.Rent(4096);
        var length = 0;
        try
        {
            using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (buffer.Length >= maxBytes + 1)
                    {
                        throw new ConsulException($"Consul's answer is over the {maxBytes}-byte limit (Mesh:Consul:MaxResponseBytes).");
                    }

                    var larger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, maxBytes + 1));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                var read = await stream.ReadAsync(buffer.AsMemory(length, Math.Min(buffer.Length, maxBytes + 1) - length), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    return (buffer, length);
                }

                length += read;
                if (length > maxBytes)
                {
                    throw new ConsulException($"Consul's answer is over the {maxBytes}-byte limit (Mesh:Consul:MaxResponseBytes).");
                }
            }
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    private static ulong ReadIndex(HttpResponseMessage response) =>
        response.Headers.TryGetValues("X-Consul-Index", out var values)
        && ulong.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var index) ? index : 0;

    private static bool ReadKnownLeader(HttpResponseMessage response) =>
        response.Headers.TryGetValues("X-Consul-KnownLeader", out var values)
        && bool.TryParse(values.FirstOrDefault(), out var known) && known;

    private static TimeSpan ReadLastContact(HttpResponseMessage response) =>
        response.Headers.TryGetValues("X-Consul-LastContact", out var values)
        && long.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var ms) ? TimeSpan.FromMilliseconds(ms) : TimeSpan.Zero;

    private static string PathOf(HttpRequestMessage request)
    {
        var uri = request.RequestUri?.OriginalString ?? "";
        var query = uri.IndexOf('?', StringComparison.Ordinal);
        return query < 0 ? uri : uri[..query];
    }
}
