using System.Collections.Concurrent;
using Grpc.Core;
using Mesh.Demo.V1;

namespace Mesh.Demo;

/// <summary>
/// Calls <c>greeter</c> through the mesh every few milliseconds for the whole demo, tallying who answered and why
/// calls failed, so each step can show what a caller experienced while instances came and went.
/// </summary>
internal sealed class CallLoop(Greeter.GreeterClient client) : IAsyncDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(20);
    private readonly CancellationTokenSource _stop = new();
    private ConcurrentDictionary<string, int> _tally = new(StringComparer.Ordinal);
    private Task _loop = Task.CompletedTask;

    public void Start() => _loop = Task.Run(RunAsync);

    /// <summary>Prints and resets the tally since the last report.</summary>
    public void Report()
    {
        var tally = Interlocked.Exchange(ref _tally, new ConcurrentDictionary<string, int>(StringComparer.Ordinal));
        var parts = tally.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}: {kv.Value}");
        Console.WriteLine($"  calls meanwhile: {(tally.IsEmpty ? "none" : string.Join(", ", parts))}");
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                if (await CallOnceAsync() is { } outcome)
                {
                    _tally.AddOrUpdate(outcome, 1, (_, n) => n + 1);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Makes one call; <see langword="null"/> when the demo is ending and cancelled it.</summary>
    private async Task<string?> CallOnceAsync()
    {
        try
        {
            var reply = await client.SayHelloAsync(new HelloRequest { Name = "demo" }, cancellationToken: _stop.Token);
            return $"answered by {reply.Instance}";
        }
        catch (RpcException) when (_stop.IsCancellationRequested)
        {
            return null;
        }
        catch (RpcException ex)
        {
            return $"failed ({ex.StatusCode}: {ex.Status.Detail})";
        }
    }
}
