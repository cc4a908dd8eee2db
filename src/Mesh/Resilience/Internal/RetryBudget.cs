namespace Mesh.Resilience.Internal;

/// <summary>
/// Finagle's retry budget: every call deposits, every retry or hedge withdraws, and a withdrawal succeeds while
/// retries ≤ ratio × calls + floor over the window. Integer arithmetic (per-mille) keeps the boundary exact.
/// </summary>
internal sealed class RetryBudget
{
    private readonly RollingCounter _deposits;
    private readonly RollingCounter _withdrawals;
    private readonly long _ratioPerMille;
    private readonly long _reservePerMille;

    public RetryBudget(RetryBudgetOptions options, TimeProvider timeProvider)
    {
        _deposits = new RollingCounter(timeProvider, options.Ttl);
        _withdrawals = new RollingCounter(timeProvider, options.Ttl);
        _ratioPerMille = (long)Math.Round(options.RetryRatio * 1000);
        _reservePerMille = (long)Math.Round(options.MinRetriesPerSecond * options.Ttl.TotalSeconds * 1000);
    }

    public void Deposit() => _deposits.Increment();

    /// <remarks>
    /// The bound holds over any <c>Ttl</c>: deposits are counted over at most the window and withdrawals over at least
    /// it, so a retry ages out no earlier than <c>Ttl</c> after it was spent. A withdrawal is taken first and handed back
    /// if it is over the line, so concurrent retries each see the others and none can overshoot (at worst a racing
    /// one is refused that a serial order would have let through); lock-free, as the breaker's closed path.
    /// </remarks>
    public bool TryWithdraw()
    {
        var slot = _withdrawals.Increment();
        var allowed = _deposits.Sum() * _ratioPerMille + _reservePerMille;
        if (_withdrawals.SumCovering() * 1000 > allowed)
        {
            _withdrawals.Undo(slot);
            return false;
        }

        return true;
    }
}
