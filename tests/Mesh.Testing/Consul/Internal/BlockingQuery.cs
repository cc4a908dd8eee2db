namespace Mesh.Testing.Consul.Internal;

/// <summary>
/// Consul's blocking-query rule: a read with <c>index</c> answers at once if its data is newer, else parks until the
/// data moves past that index or <c>wait</c> elapses (on the emulator's clock), then answers whatever is current —
/// including an index lower than the one asked for, after a reset.
/// </summary>
internal static class BlockingQuery
{
    /// <param name="request">The request.</param>
    /// <param name="topic">What the query watches, for <see cref="ParkedQueries.WhenParked"/>.</param>
    /// <param name="responseIndex">The index the answer will carry.</param>
    /// <param name="watchIndex">The index of the data watched; by default the answer's.</param>
    public static async Task WaitAsync(EmulatorRequestContext request, string topic, Func<ulong> responseIndex, Func<ulong>? watchIndex = null)
    {
        var min = request.MinIndex;
        var wait = request.Wait;
        if (min == 0 || !request.Switches.BlockingQueriesEnabled)
        {
            return;
        }

        var state = request.State;
        lock (state.Sync)
        {
            if (responseIndex() > min)
            {
                return;
            }
        }

        using var waitEnd = CancellationTokenSource.CreateLinkedTokenSource(request.Aborted);
        // The timer exists before the query is reported parked, so a test that then advances a fake clock releases it.
        var elapsed = Task.Delay(wait, state.Time, waitEnd.Token);
        var watched = watchIndex ?? responseIndex;
        ParkedQuery? parked;
        lock (state.Sync)
        {
            parked = responseIndex() > min ? null : state.Parked.Park(topic, () => watched() > min);
        }

        try
        {
            if (parked is not null)
            {
                await Task.WhenAny(parked.Woken, elapsed).ConfigureAwait(false);
            }
        }
        finally
        {
            if (parked is not null)
            {
                lock (state.Sync)
                {
                    state.Parked.Remove(parked);
                }
            }

            await waitEnd.CancelAsync().ConfigureAwait(false);
        }

        request.Aborted.ThrowIfCancellationRequested();
    }
}
