using Grpc.Core;

namespace Mesh.Resilience.Internal;

/// <summary>
/// The deadline and cancellation of one logical call: the earliest of the caller's deadline, the policy's timeout
/// and the incoming call's deadline; cancelled by the caller or by the incoming call.
/// </summary>
internal readonly struct CallScope
{
    private readonly CancellationTokenSource? _linked;

    private CallScope(CallOptions options, CancellationTokenSource? linked)
    {
        Options = options;
        _linked = linked;
    }

    /// <summary>Gets the options every attempt is sent with.</summary>
    public CallOptions Options { get; }

    public DateTime Deadline => Options.Deadline ?? DateTime.MaxValue;

    public CancellationToken CancellationToken => Options.CancellationToken;

    public static CallScope Create(CallOptions options, TimeSpan timeout, TimeProvider timeProvider, ICallContextSource? contextSource)
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

        CancellationTokenSource? linked = null;
        if (contextSource is not null && contextSource.TryGetIncomingCall(out var incoming))
        {
            deadline = incoming.Deadline < deadline ? incoming.Deadline : deadline;
            var token = options.CancellationToken;
            if (!token.CanBeCanceled)
            {
                options = options.WithCancellationToken(incoming.CancellationToken);
            }
            else if (incoming.CancellationToken.CanBeCanceled && incoming.CancellationToken != token)
            {
                linked = CancellationTokenSource.CreateLinkedTokenSource(token, incoming.CancellationToken);
                options = options.WithCancellationToken(linked.Token);
            }
        }

        if (deadline != DateTime.MaxValue)
        {
            options = options.WithDeadline(deadline);
        }

        return new CallScope(options, linked);
    }

    /// <summary>Gets the time left before the deadline; <see cref="TimeSpan.MaxValue"/> when there is none.</summary>
    public TimeSpan Remaining(TimeProvider timeProvider) =>
        Deadline == DateTime.MaxValue ? TimeSpan.MaxValue : Deadline - timeProvider.GetUtcNow().UtcDateTime;

    public void Dispose() => _linked?.Dispose();
}
