using Grpc.Core;

namespace Mesh.Resilience.Internal;

/// <summary>
/// The deadline and cancellation of one logical call: the earliest of the caller's deadline, the policy's timeout
/// and the incoming call's deadline; when none of them bounds a unary call, the policy's fallback timeout (local,
/// not sent). Cancelled by the caller, by the incoming call or by the fallback.
/// </summary>
internal readonly struct CallScope
{
    private readonly CancellationTokenSource? _linked;
    private readonly FallbackTimeout.Slot? _fallback;

    private CallScope(CallOptions options, CancellationTokenSource? linked, FallbackTimeout.Slot? fallback)
    {
        Options = options;
        _linked = linked;
        _fallback = fallback;
    }

    /// <summary>Gets the options every attempt is sent with.</summary>
    public CallOptions Options { get; }

    /// <summary>Gets when the call must be over: its gRPC deadline, else when the fallback fires, else <see cref="DateTime.MaxValue"/>.</summary>
    public DateTime Deadline => Options.Deadline ?? _fallback?.FiresAtUtc ?? DateTime.MaxValue;

    public CancellationToken CancellationToken => Options.CancellationToken;

    /// <summary>Gets whether the scope linked two or more tokens: its source is registered on each until <see cref="Dispose"/>.</summary>
    public bool OwnsTokenSource => _linked is not null;

    /// <summary>
    /// Gets whether the fallback timeout has fired. The call has then run at least the fallback's time, so it ends with
    /// <see cref="StatusCode.DeadlineExceeded"/> rather than the <see cref="StatusCode.Cancelled"/> gRPC reports.
    /// </summary>
    public bool FallbackExpired => _fallback is { } slot && slot.Token.IsCancellationRequested;

    /// <param name="options">The caller's options.</param>
    /// <param name="timeout">The method's timeout (a gRPC deadline, sent); <see cref="TimeSpan.Zero"/> for none.</param>
    /// <param name="fallback">Bounds the call when no deadline does; null for streams and when disabled.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="contextSource">Finds the incoming call being handled, if any.</param>
    public static CallScope Create(CallOptions options, TimeSpan timeout, FallbackTimeout? fallback, TimeProvider timeProvider, ICallContextSource? contextSource)
    {
        // gRPC deadlines are UTC; only an explicitly local one is converted (MaxValue stays "none").
        var deadline = options.Deadline is { } callerDeadline
            ? callerDeadline.Kind == DateTimeKind.Local ? callerDeadline.ToUniversalTime() : callerDeadline
            : DateTime.MaxValue;
        if (timeout > TimeSpan.Zero)
        {
            var policyDeadline = timeProvider.GetUtcNow().UtcDateTime + timeout;
            deadline = policyDeadline < deadline ? policyDeadline : deadline;
        }

        var callerToken = options.CancellationToken;
        var incomingToken = CancellationToken.None;
        if (contextSource is not null && contextSource.TryGetIncomingCall(out var incoming))
        {
            deadline = incoming.Deadline < deadline ? incoming.Deadline : deadline;
            if (incoming.CancellationToken != callerToken)
            {
                incomingToken = incoming.CancellationToken;
            }
        }

        if (deadline != DateTime.MaxValue)
        {
            options = options.WithDeadline(deadline);
        }

        // The fallback only bounds what nothing else does: any deadline, however late, was somebody's choice.
        var slot = deadline == DateTime.MaxValue ? fallback?.Current() : null;
        var linked = Combine(callerToken, incomingToken, slot?.Token ?? CancellationToken.None, out var token);
        if (token != callerToken)
        {
            options = options.WithCancellationToken(token);
        }

        return new CallScope(options, linked, slot);
    }

    /// <summary>Gets the time left before <see cref="Deadline"/>; <see cref="TimeSpan.MaxValue"/> when there is none.</summary>
    public TimeSpan Remaining(TimeProvider timeProvider) =>
        Deadline == DateTime.MaxValue ? TimeSpan.MaxValue : Deadline - timeProvider.GetUtcNow().UtcDateTime;

    public void Dispose() => _linked?.Dispose();

    /// <summary>One token for up to three sources; a linked source (returned, to dispose) only when two or more can cancel.</summary>
    private static CancellationTokenSource? Combine(CancellationToken caller, CancellationToken incoming, CancellationToken fallback, out CancellationToken token)
    {
        // Most calls: neither the caller nor an incoming call can cancel, so the fallback's token (or none) is the one.
        if (!caller.CanBeCanceled && !incoming.CanBeCanceled)
        {
            token = fallback.CanBeCanceled ? fallback : caller;
            return null;
        }

        Span<CancellationToken> tokens = [caller, incoming, fallback];
        var count = 0;
        foreach (var candidate in tokens)
        {
            if (candidate.CanBeCanceled)
            {
                tokens[count++] = candidate;
            }
        }

        switch (count)
        {
            case 0:
                token = caller;
                return null;
            case 1:
                token = tokens[0];
                return null;
            default:
                var linked = count == 2
                    ? CancellationTokenSource.CreateLinkedTokenSource(tokens[0], tokens[1])
                    : CancellationTokenSource.CreateLinkedTokenSource(tokens[0], tokens[1], tokens[2]);
                token = linked.Token;
                return linked;
        }
    }
}
