namespace Mesh.Resilience.Internal;

/// <summary>What follows a failed attempt.</summary>
internal enum RetryDecision
{
    /// <summary>End the call with this failure.</summary>
    Stop,

    /// <summary>Send another attempt after the planned delay.</summary>
    Retry,

    /// <summary>A retry was due but the budget is spent: end the call with this failure.</summary>
    BudgetDenied,
}
