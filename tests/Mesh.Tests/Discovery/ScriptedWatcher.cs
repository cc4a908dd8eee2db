using System.Collections.Concurrent;
using Mesh.Discovery;

namespace Mesh.Tests.Discovery;

/// <summary>A registry watcher the test drives by hand: it exposes each running watch's observer.</summary>
internal sealed class ScriptedWatcher : IServiceWatcher
{
    private readonly ConcurrentDictionary<ServiceQuery, TaskCompletionSource<IServiceWatchObserver>> _running = new();

    public int StartedCount;
    public int StoppedCount;

    public async Task WatchAsync(ServiceQuery query, IServiceWatchObserver observer, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref StartedCount);
        _running.GetOrAdd(query, _ => new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult(observer);
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            _running.TryRemove(query, out _);
            Interlocked.Increment(ref StoppedCount);
        }
    }

    public Task<IServiceWatchObserver> ObserverAsync(ServiceQuery query) =>
        _running.GetOrAdd(query, _ => new(TaskCreationOptions.RunContinuationsAsynchronously)).Task.WaitAsync(TimeSpan.FromSeconds(10));
}
