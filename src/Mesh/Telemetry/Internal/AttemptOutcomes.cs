namespace Mesh.Telemetry.Internal;

/// <summary>Values of <c>mesh.attempt.outcome</c>.</summary>
internal static class AttemptOutcomes
{
    /// <summary>The service answered OK.</summary>
    public const string Success = "success";

    /// <summary>The attempt failed and another one follows.</summary>
    public const string Retried = "retried";

    /// <summary>The attempt failed and no other follows because of it.</summary>
    public const string Failure = "failure";

    /// <summary>The attempt failed; a retry was due but the retry budget was spent.</summary>
    public const string BudgetDenied = "budget_denied";

    /// <summary>Cancelled by the policy: a losing hedge or a disposed call.</summary>
    public const string Abandoned = "abandoned";
}
