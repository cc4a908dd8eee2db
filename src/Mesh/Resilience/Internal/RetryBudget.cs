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

    // Check-then-add can let a few concurrent retries past the line; a budget is a rate guard, not a semaphore.
    public bool TryWithdraw()
    {
        var allowed = _deposits.Sum() * _ratioPerMille + _reservePerMille;
        if ((_withdrawals.Sum() + 1) * 1000 > allowed)
        {
            return false;
        }

        _withdrawals.Increment();
        return true;
    }
}
