namespace Mesh.Testing.Consul.Internal;

/// <summary>Every request received, and waits on how many have been answered.</summary>
internal sealed class RequestLog
{
    private readonly Lock _lock = new();
    private readonly List<EmulatorRequest> _received = [];
    private readonly List<EmulatorRequest> _answered = [];
    private readonly List<(Func<EmulatorRequest, bool> Match, int Count, TaskCompletionSource Signal)> _waiters = [];

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _received.Count;
            }
        }
    }

    public IReadOnlyList<EmulatorRequest> Snapshot()
    {
        lock (_lock)
        {
            return [.. _received];
        }
    }

    public int CountMatching(Func<EmulatorRequest, bool> match)
    {
        lock (_lock)
        {
            return _received.Count(match);
        }
    }

    public void Received(EmulatorRequest request)
    {
        lock (_lock)
        {
            _received.Add(request);
        }
    }

    public void Answered(EmulatorRequest request)
    {
        List<TaskCompletionSource> done = [];
        lock (_lock)
        {
            _answered.Add(request);
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                var (match, count, signal) = _waiters[i];
                if (_answered.Count(match) >= count)
                {
                    done.Add(signal);
                    _waiters.RemoveAt(i);
                }
            }
        }

        done.ForEach(s => s.TrySetResult());
    }

    /// <summary>Completes once <paramref name="count"/> matching requests have been answered (at once if they have).</summary>
    public Task WhenAnswered(Func<EmulatorRequest, bool> match, int count)
    {
        lock (_lock)
        {
            if (_answered.Count(match) >= count)
            {
                return Task.CompletedTask;
            }

            var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((match, count, signal));
            return signal.Task;
        }
    }
}
