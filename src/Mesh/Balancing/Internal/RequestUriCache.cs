using System.Collections.Concurrent;

namespace Mesh.Balancing.Internal;

/// <summary>
/// The request URIs of one instance, one per method: what grpc-dotnet's balancer handler would build for a call
/// picked onto the instance, built once instead of on every call.
/// </summary>
/// <remarks>
/// grpc-dotnet sends each call with its method's URI on the channel's address (<c>consul:///orders</c> has no host),
/// and once the picker has chosen, its balancer handler rebuilds the URI for the picked address whenever host or port
/// differ (a <see cref="UriBuilder"/>, a fresh <see cref="Uri"/>, and the strings the HTTP handler then derives
/// from it): ~660 B and over a microsecond per call, the whole cost of a balanced channel over a plain one. The
/// picker runs before that check, so it puts this cached URI, equal to what the handler would build, on the request,
/// and the handler finds nothing to do. Should the picked address ever differ from the instance's (an IPv6 host is
/// bracketed in a URI, not in an endpoint), the handler rewrites as before: the cache can only save work, never
/// change where a call goes. Keyed by reference: grpc-dotnet keeps one URI object per method and channel.
/// </remarks>
internal sealed class RequestUriCache
{
    /// <summary>At most this many methods per instance are cached; calls to others take grpc-dotnet's rewrite.</summary>
    public const int MaxMethods = 256;

    private readonly ConcurrentDictionary<Uri, Uri> _uris = new(ReferenceEqualityComparer.Instance);
    private readonly string _host;
    private readonly int _port;

    public RequestUriCache(string host, int port)
    {
        _host = host;
        _port = port;
    }

    /// <summary>Returns <paramref name="methodUri"/> with this instance's host and port, as grpc-dotnet would rewrite it.</summary>
    public Uri For(Uri methodUri)
    {
        if (_uris.TryGetValue(methodUri, out var cached))
        {
            return cached;
        }

        if (!methodUri.IsAbsoluteUri)
        {
            return methodUri; // left to grpc-dotnet, which rejects or rewrites it as it always has
        }

        // The same construction as grpc-dotnet's BalancerHttpHandler, so the result is the URI it would have sent.
        var uri = new UriBuilder(methodUri) { Host = _host, Port = _port }.Uri;
        if (_uris.Count < MaxMethods)
        {
            _uris.TryAdd(methodUri, uri);
        }

        return uri;
    }
}
