using System.Collections.Concurrent;
using Grpc.Core;

namespace Mesh.Resilience.Internal;

/// <summary>
/// Settles each method's policy once (exact entry, then <c>package.Service/*</c>, then the service) and caches it
/// by the method's full name, so a call pays one dictionary lookup.
/// </summary>
internal sealed class MethodPolicyResolver
{
    private readonly ConcurrentDictionary<string, MethodPolicy> _cache = new(StringComparer.Ordinal);
    private readonly Dictionary<string, MethodPolicyOptions> _methods;
    private readonly CallPolicyOptions _options;
    private readonly StatusCodeSet _retriable;
    private readonly StatusCodeSet _idempotent;

    public MethodPolicyResolver(CallPolicyOptions options)
    {
        _options = options;
        _methods = new Dictionary<string, MethodPolicyOptions>(options.Methods, StringComparer.Ordinal);
        _retriable = Codes(options.Retry.RetriableStatusCodes, StatusCodeSet.From(CallPolicyDefaults.RetriableStatusCodes));
        _idempotent = Codes(options.Retry.IdempotentStatusCodes, StatusCodeSet.From(CallPolicyDefaults.IdempotentStatusCodes));
    }

    public MethodPolicy Resolve(IMethod method) =>
        _cache.TryGetValue(method.FullName, out var policy) ? policy : _cache.GetOrAdd(method.FullName, Create(method.FullName, method.ServiceName, method.Name, method.Type == MethodType.Unary, null));

    /// <summary>
    /// The policy of a gRPC request the sidecar forwards, known by its path (<c>/package.Service/Method</c>) only. Its
    /// shape is unknown, so it is settled as unary (retried only before any of the answer reached the caller). Paths
    /// come from the local app, so past <see cref="MaxForwardedMethods"/> distinct ones nothing more is cached.
    /// </summary>
    public MethodPolicy ResolveForwarded(string path)
    {
        if (_cache.TryGetValue(path, out var policy))
        {
            return policy;
        }

        var slash = path.LastIndexOf('/');
        var (service, name) = slash > 0 ? (path[1..slash], path[(slash + 1)..]) : (string.Empty, path.TrimStart('/'));
        policy = Create(path, service, name, unary: true, idempotentOverride: null);
        return _cache.Count < MaxForwardedMethods ? _cache.GetOrAdd(path, policy) : policy;
    }

    /// <summary>The policy of a plain HTTP request: idempotent by its method's semantics (RFC 9110 §9.2.2), not by configuration.</summary>
    public MethodPolicy ResolveHttp(bool idempotent) =>
        idempotent ? _httpIdempotent ??= Create("http/idempotent", string.Empty, string.Empty, unary: true, idempotentOverride: true)
            : _http ??= Create("http/other", string.Empty, string.Empty, unary: true, idempotentOverride: false);

    /// <summary>The most forwarded gRPC paths whose policy is cached.</summary>
    public const int MaxForwardedMethods = 1024;

    private MethodPolicy? _http;
    private MethodPolicy? _httpIdempotent;

    private MethodPolicy Create(string fullName, string serviceName, string methodName, bool unary, bool? idempotentOverride)
    {
        var exact = Find(serviceName + "/" + methodName);
        var wildcard = Find(serviceName + "/*");
        var idempotent = idempotentOverride ?? exact?.Idempotent ?? wildcard?.Idempotent ?? false;
        var retry = _options.Retry;

        var retriable = Codes(exact?.Retry.RetriableStatusCodes ?? wildcard?.Retry.RetriableStatusCodes, _retriable);
        if (idempotent)
        {
            retriable = retriable.Union(Codes(exact?.Retry.IdempotentStatusCodes ?? wildcard?.Retry.IdempotentStatusCodes, _idempotent));
        }

        // Only unary calls are hedged: a stream has one consumer, which cannot read two responses at once.
        var hedged = idempotent && unary && _options.Hedging.Enabled;
        return new MethodPolicy
        {
            FullName = fullName,
            Timeout = exact?.Timeout ?? wildcard?.Timeout ?? (unary ? _options.Timeout : _options.StreamingTimeout),
            Idempotent = idempotent,
            MaxAttempts = exact?.Retry.MaxAttempts ?? wildcard?.Retry.MaxAttempts ?? retry.MaxAttempts,
            InitialBackoff = exact?.Retry.InitialBackoff ?? wildcard?.Retry.InitialBackoff ?? retry.InitialBackoff,
            MaxBackoff = exact?.Retry.MaxBackoff ?? wildcard?.Retry.MaxBackoff ?? retry.MaxBackoff,
            RetriableStatusCodes = retriable,
            HedgingMaxAttempts = hedged ? _options.Hedging.MaxAttempts : 0,
            HedgingDelay = _options.Hedging.Delay,
        };
    }

    private MethodPolicyOptions? Find(string key) => _methods.GetValueOrDefault(key);

    private static StatusCodeSet Codes(IList<StatusCode>? configured, StatusCodeSet fallback) =>
        configured is null ? fallback : StatusCodeSet.From(configured);
}
