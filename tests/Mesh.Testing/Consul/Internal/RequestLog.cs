namespace Mesh.Testing.Consul.Internal;

/// <summary>Every request received and answered, and waits on how many have been.</summary>
internal sealed class RequestLog
{
    private readonly Lock _lock = new();
    private readonly List<EmulatorRequest> _received = [];
    private readonly List<EmulatorRequest> _answered = [];
    private readonly List<Waiter> _waiters = [];

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

    public void Received(EmulatorRequest request) => Add(_received, request);

    public void Answered(EmulatorRequest request) => Add(_answered, request);

    /// <summary>Completes once <paramref name="count"/> matching requests have been received, or answered (at once if they have).</summary>
    public Task When(bool answered, Func<EmulatorRequest, bool> match, int count)
    {
        lock (_lock)
        {
            if ((answered ? _answered : _received).Count(match) >= count)
            {
                return Task.CompletedTask;
            }

            var waiter = new Waiter(answered, match, count);
            _waiters.Add(waiter);
            return waiter.Signal.Task;
        }
    }

    private void Add(List<EmulatorRequest> list, EmulatorRequest request)
    {
        List<Waiter> done;
        lock (_lock)
        {
            list.Add(request);
            done = _waiters.FindAll(w => (w.Answered ? _answered : _received) == list && list.Count(w.Match) >= w.Count);
            _waiters.RemoveAll(done.Contains);
        }

        done.ForEach(w => w.Signal.TrySetResult());
    }

    private sealed record Waiter(bool Answered, Func<EmulatorRequest, bool> Match, int Count)
    {
        public TaskCompletionSource Signal { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
