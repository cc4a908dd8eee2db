using Mesh.Resilience;

namespace Mesh.Tests.Resilience;

/// <summary>Keeps every policy event, for assertions.</summary>
internal sealed class RecordingPolicyObserver : ICallPolicyObserver
{
    private readonly Lock _lock = new();
    private readonly List<AttemptStartedArguments> _started = [];
    private readonly List<AttemptFinishedArguments> _finished = [];
    private readonly List<RetryDeniedArguments> _denied = [];
    private readonly List<CircuitStateChangedArguments> _transitions = [];

    /// <summary>Gets or sets what <see cref="ICallPolicyObserver.IsEnabled"/> answers.</summary>
    public bool IsEnabled { get; set; } = true;

    public IReadOnlyList<AttemptStartedArguments> Started => Snapshot(_started);

    public IReadOnlyList<AttemptFinishedArguments> Finished => Snapshot(_finished);

    public IReadOnlyList<RetryDeniedArguments> Denied => Snapshot(_denied);

    public IReadOnlyList<CircuitStateChangedArguments> Transitions => Snapshot(_transitions);

    public void OnAttemptStarted(in AttemptStartedArguments arguments) => Add(_started, arguments);

    public void OnAttemptFinished(in AttemptFinishedArguments arguments) => Add(_finished, arguments);

    public void OnRetryDenied(in RetryDeniedArguments arguments) => Add(_denied, arguments);

    public void OnCircuitStateChanged(in CircuitStateChangedArguments arguments) => Add(_transitions, arguments);

    private void Add<T>(List<T> list, T item)
    {
        lock (_lock)
        {
            list.Add(item);
        }
    }

    private IReadOnlyList<T> Snapshot<T>(List<T> list)
    {
        lock (_lock)
        {
            return [.. list];
        }
    }
}
