using Mesh.Discovery;
using Mesh.Registration;
using Mesh.Registries.Local;
using Microsoft.Extensions.Logging.Abstractions;

namespace Mesh.Benchmarks.Propagation;

/// <summary>
/// Two Local registries on one fresh directory, as two processes would have, with the default 500 ms poll:
/// the writer's file write to the reader's snapshot, with file notifications or by polling alone.
/// </summary>
internal sealed class LocalPropagationTarget : IPropagationTarget
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "mesh-propagation-" + Guid.NewGuid().ToString("N"));
    private readonly LocalRegistry _writer;
    private readonly LocalRegistry _reader;

    public LocalPropagationTarget(bool useFileNotifications)
    {
        var options = new LocalRegistryOptions { Directory = _directory, UseFileNotifications = useFileNotifications };
        _writer = new LocalRegistry(options, TimeProvider.System, NullLogger<LocalRegistry>.Instance);
        _reader = new LocalRegistry(options, TimeProvider.System, NullLogger<LocalRegistry>.Instance);
        Name = useFileNotifications ? "Local, file notifications (default)" : "Local, polling only (UseFileNotifications=false)";
    }

    public string Name { get; }

    public IServiceRegistrar Registrar => _writer;

    public IServiceWatcher Watcher => _reader;

    public ValueTask DisposeAsync()
    {
        Directory.Delete(_directory, recursive: true);
        return ValueTask.CompletedTask;
    }
}
