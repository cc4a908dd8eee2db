namespace Mesh.Testing.Consul.Internal;

/// <summary>The switches a test flips at run time, read by every request.</summary>
internal sealed class EmulatorSwitches
{
    private readonly Lock _lock = new();
    private EmulatorFault _fault;
    private TaskCompletionSource _faultChanged = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public EmulatorFault Fault
    {
        get
        {
            lock (_lock)
            {
                return _fault;
            }
        }

        set
        {
            TaskCompletionSource changed;
            lock (_lock)
            {
                _fault = value;
                changed = _faultChanged;
                _faultChanged = new(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            changed.TrySetResult();
        }
    }

    /// <summary>Completes the next time <see cref="Fault"/> is set.</summary>
    public Task FaultChanged
    {
        get
        {
            lock (_lock)
            {
                return _faultChanged.Task;
            }
        }
    }

    public volatile string? FaultPathPrefix;

    public volatile int OversizedBytes = 17 * 1024 * 1024;

    public volatile string? RequiredToken;

    public volatile bool BlockingQueriesEnabled = true;

    public volatile bool DeregisterUnknownAnswers404;
}
