using Mesh.Discovery;
using Mesh.Registration;

namespace Mesh.Benchmarks.Propagation;

/// <summary>A registry set up for the harness: one side registers, the other side watches (as two processes would).</summary>
internal interface IPropagationTarget : IAsyncDisposable
{
    string Name { get; }

    /// <summary>The registrar of the "writing" process.</summary>
    IServiceRegistrar Registrar { get; }

    /// <summary>The watcher of the "reading" process; the harness puts Mesh's shared discovery on top of it.</summary>
    IServiceWatcher Watcher { get; }
}
