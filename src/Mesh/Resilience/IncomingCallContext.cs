namespace Mesh.Resilience;

/// <summary>What an outgoing call inherits from the incoming call being handled.</summary>
public readonly struct IncomingCallContext
{
    /// <summary>Creates the context.</summary>
    /// <param name="deadline">The incoming call's deadline in UTC; <see cref="DateTime.MaxValue"/> for none.</param>
    /// <param name="cancellationToken">Cancelled when the incoming call is cancelled or its deadline passes.</param>
    public IncomingCallContext(DateTime deadline, CancellationToken cancellationToken)
    {
        Deadline = deadline;
        CancellationToken = cancellationToken;
    }

    /// <summary>Gets the incoming call's deadline in UTC; <see cref="DateTime.MaxValue"/> for none.</summary>
    public DateTime Deadline { get; }

    /// <summary>Gets the token cancelled when the incoming call ends early.</summary>
    public CancellationToken CancellationToken { get; }
}
