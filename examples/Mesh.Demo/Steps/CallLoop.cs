using System.Collections.Concurrent;

namespace Mesh.Demo;

/// <summary>
/// Calls a service through the mesh every few milliseconds, one call at a time, tallying who answered and why calls
/// failed, so each step can show what a caller experienced while instances came and went.
/// </summary>
/// <param name="call">One call; it returns how it ended, or throws once the loop is stopping.</param>
/// <param name="note">Appended to each report (what the caller's sidecar did meanwhile), or null.</param>
internal sealed class CallLoop(Func<CancellationToken, Task<CallOutcome>> call, Func<Task<string?>>? note = null) : IAsyncDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(20);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<string, byte> _answeredBy = new(StringComparer.Ordinal);
    private ConcurrentDictionary<string, int> _tally = new(StringComparer.Ordinal);
    private TaskCompletionSource _answer = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _loop;
    private int _answered;
    private int _failed;

    /// <summary>Gets how many calls were answered since the start.</summary>
    public int Answered => Volatile.Read(ref _answered);

    /// <summary>Gets how many calls failed since the start.</summary>
    public int Failed => Volatile.Read(ref _failed);

    public void Start() => _loop = Task.Run(RunAsync);

    /// <summary>Waits until <paramref name="count"/> different instances have answered since the start.</summary>
    public async Task WaitForAnswersFromAsync(int count, CancellationToken cancellationToken)
    {
        while (true)
        {
            var answer = Volatile.Read(ref _answer).Task; // before the count, so an answer in between is not missed
            if (_answeredBy.Count >= count)
            {
                return;
            }

            await answer.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Prints and resets the tally since the last report (nothing before the loop started, or once stopped with nothing new).</summary>
    public async Task ReportAsync()
    {
        if (_loop is null || _stop.IsCancellationRequested && _tally.IsEmpty)
        {
            return;
        }

        var tally = Interlocked.Exchange(ref _tally, new ConcurrentDictionary<string, int>(StringComparer.Ordinal));
        var parts = tally.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}: {kv.Value}");
        var extra = note is null ? null : await note();
        Console.WriteLine($"  calls meanwhile: {(tally.IsEmpty ? "none" : string.Join(", ", parts))}{(extra is null ? "" : "; " + extra)}");
    }

    /// <summary>Stops calling and waits for the call in progress.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            await _loop;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                CallOutcome outcome;
                try
                {
                    outcome = await call(_stop.Token);
                }
                catch (Exception) when (_stop.IsCancellationRequested)
                {
                    return; // the demo is ending and cancelled it: not a failure anyone saw
                }

                if (outcome.Failed)
                {
                    Interlocked.Increment(ref _failed);
                }
                else
                {
                    Interlocked.Increment(ref _answered);
                    if (_answeredBy.TryAdd(outcome.Text, 0))
                    {
                        Interlocked.Exchange(ref _answer, new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
                    }
                }

                _tally.AddOrUpdate(outcome.Text, 1, (_, n) => n + 1);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
