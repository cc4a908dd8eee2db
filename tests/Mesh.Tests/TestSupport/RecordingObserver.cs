using System.Collections.Immutable;
using Mesh.Discovery;

namespace Mesh.Tests.TestSupport;

/// <summary>An <see cref="IServiceWatchObserver"/> that keeps every report and lets a test await one that matches.</summary>
internal sealed class RecordingObserver : IServiceWatchObserver
{
    private readonly Lock _gate = new();
    private readonly List<(Func<IReadOnlyList<ServiceEndpoint>, bool> Match, TaskCompletionSource<IReadOnlyList<ServiceEndpoint>> Done)> _waiters = [];
    private ImmutableList<IReadOnlyList<ServiceEndpoint>> _reports = [];
    private ImmutableList<string> _errors = [];

    public IReadOnlyList<IReadOnlyList<ServiceEndpoint>> Reports => _reports;

    public IReadOnlyList<string> Errors => _errors;

    public IReadOnlyList<ServiceEndpoint>? Latest => _reports.IsEmpty ? null : _reports[^1];

    public void OnEndpoints(IReadOnlyList<ServiceEndpoint> endpoints)
    {
        lock (_gate)
        {
            _reports = _reports.Add(endpoints);
            foreach (var waiter in _waiters.Where(w => w.Match(endpoints)).ToList())
            {
                _waiters.Remove(waiter);
                waiter.Done.TrySetResult(endpoints);
            }
        }
    }

    public void OnError(string reason, Exception? exception)
    {
        lock (_gate)
        {
            _errors = _errors.Add(reason);
        }
    }

    /// <summary>Waits (at most 10 s of real time) for a report, from now on or the latest one, that matches.</summary>
    public Task<IReadOnlyList<ServiceEndpoint>> WaitForAsync(Func<IReadOnlyList<ServiceEndpoint>, bool> match)
    {
        lock (_gate)
        {
            if (Latest is { } latest && match(latest))
            {
                return Task.FromResult(latest);
            }

            var done = new TaskCompletionSource<IReadOnlyList<ServiceEndpoint>>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((match, done));
            return done.Task.WaitAsync(TimeSpan.FromSeconds(10));
        }
    }
}
