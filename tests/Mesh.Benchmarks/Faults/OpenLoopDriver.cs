using System.Diagnostics;
using Grpc.Core;
using Mesh.Testing.Grpc.V1;

namespace Mesh.Benchmarks.Faults;

/// <summary>
/// Open-loop load: calls start at a fixed rate whatever happens to the earlier ones (a closed loop would slow down
/// with the system and hide the failures), each with its own deadline. Every call is kept as a <see cref="CallRecord"/>;
/// scenarios read the calls sent within their window.
/// </summary>
internal sealed class OpenLoopDriver : IAsyncDisposable
{
    private readonly EchoService.EchoServiceClient _client;
    private readonly int _rate;
    private readonly TimeSpan _deadline;
    private readonly List<CallRecord> _calls = new(1 << 16);
    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    public OpenLoopDriver(EchoService.EchoServiceClient client, int rate, TimeSpan deadline)
    {
        _client = client;
        _rate = rate;
        _deadline = deadline;
    }

    public TimeSpan Deadline => _deadline;

    public static long Now => Stopwatch.GetTimestamp();

    public void Start() => _loop = Task.Run(LoopAsync);

    /// <summary>Returns the calls sent in [from, to), once each has ended or its deadline (plus a grace second) has passed.</summary>
    public async Task<IReadOnlyList<CallRecord>> WindowAsync(long from, long to)
    {
        var settle = Stopwatch.GetElapsedTime(to);
        var wait = _deadline + TimeSpan.FromSeconds(1) - settle;
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait);
        }

        lock (_lock)
        {
            return _calls.Where(c => c.Sent >= from && c.Sent < to).ToList();
        }
    }

    /// <summary>Returns the calls sent in [from, to) that have ended so far.</summary>
    public IReadOnlyList<CallRecord> Ended(long from, long to)
    {
        lock (_lock)
        {
            return _calls.Where(c => c.Sent >= from && c.Sent < to && c.IsDone).ToList();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            await _loop;
        }
    }

    private async Task LoopAsync()
    {
        var start = Stopwatch.GetTimestamp();
        var interval = Stopwatch.Frequency / (double)_rate;
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(5));
        long sent = 0;
        while (!_stop.IsCancellationRequested)
        {
            // Catch up on every slot that is due: the rate holds even when the timer fires late.
            var due = (long)((Stopwatch.GetTimestamp() - start) / interval);
            for (; sent < due; sent++)
            {
                _ = CallAsync();
            }

            try
            {
                await timer.WaitForNextTickAsync(_stop.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    private async Task CallAsync()
    {
        var record = new CallRecord(Stopwatch.GetTimestamp());
        lock (_lock)
        {
            _calls.Add(record);
        }

        try
        {
            var reply = await _client.EchoAsync(new EchoRequest { Message = "fault" }, deadline: DateTime.UtcNow + _deadline);
            record.Complete(Stopwatch.GetTimestamp(), StatusCode.OK, reply.Instance, null);
        }
        catch (RpcException ex)
        {
            record.Complete(Stopwatch.GetTimestamp(), ex.StatusCode, null, ex.Status.Detail);
        }
    }
}
