namespace Mesh.Resilience.Internal;

/// <summary>What an attempt says about the service's health.</summary>
internal enum AttemptOutcome
{
    /// <summary>The service answered (even with an application error).</summary>
    Success,

    /// <summary>The attempt ended with one of the breaker's failure statuses.</summary>
    Failure,

    /// <summary>Nothing learnt: the caller cancelled, the call was disposed, or it lost a hedge race.</summary>
    Ignored,
}
