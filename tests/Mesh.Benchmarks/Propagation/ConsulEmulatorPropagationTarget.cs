using Mesh.Consul;
using Mesh.Discovery;
using Mesh.Registration;
using Mesh.Registries.Consul;
using Mesh.Testing.Consul;
using Microsoft.Extensions.Logging.Abstractions;

namespace Mesh.Benchmarks.Propagation;

/// <summary>
/// The Consul registry against the in-process emulator over real HTTP on loopback, with default discovery settings
/// (60 s blocking wait, 100 ms minimum query interval): the writer's agent register/deregister to the reader's
/// blocking query returning and the snapshot publishing. A real agent adds Raft and anti-entropy delays on top.
/// </summary>
internal sealed class ConsulEmulatorPropagationTarget : IPropagationTarget
{
    private readonly ConsulEmulator _emulator;
    private readonly HttpClient _writerHttp = new();
    private readonly HttpClient _readerHttp = new();

    private ConsulEmulatorPropagationTarget(ConsulEmulator emulator)
    {
        _emulator = emulator;
        var options = new ConsulClientOptions { Address = emulator.Address.ToString() };
        Registrar = new ConsulRegistry(new ConsulClient(_writerHttp, options), new DiscoveryOptions(), TimeProvider.System, NullLogger<ConsulRegistry>.Instance);
        Watcher = new ConsulRegistry(new ConsulClient(_readerHttp, options), new DiscoveryOptions(), TimeProvider.System, NullLogger<ConsulRegistry>.Instance);
    }

    public string Name => "Consul (emulator over loopback HTTP)";

    public IServiceRegistrar Registrar { get; }

    public IServiceWatcher Watcher { get; }

    public static async Task<ConsulEmulatorPropagationTarget> StartAsync() => new(await ConsulEmulator.StartNewAsync());

    public async ValueTask DisposeAsync()
    {
        _writerHttp.Dispose();
        _readerHttp.Dispose();
        await _emulator.DisposeAsync();
    }
}
