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
        _cache.TryGetValue(method.FullName, out var policy) ? policy : _cache.GetOrAdd(method.FullName, Create(method));

    private MethodPolicy Create(IMethod method)
    {
        var exact = Find(method.ServiceName + "/" + method.Name);
        var wildcard = Find(method.ServiceName + "/*");
        var unary = method.Type == MethodType.Unary;
        var idempotent = exact?.Idempotent ?? wildcard?.Idempotent ?? false;
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
            FullName = method.FullName,
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
