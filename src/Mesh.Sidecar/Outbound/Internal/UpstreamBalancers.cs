using System.Collections.Concurrent;
using Mesh.Balancing;
using Mesh.Discovery;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Mesh.Sidecar.Outbound.Internal;

/// <summary>One <see cref="UpstreamBalancer"/> per service the local app calls, created on first use, disposed with the sidecar.</summary>
internal sealed class UpstreamBalancers(IServiceDiscovery discovery, IOptions<MeshOptions> options, TimeProvider time, BalancingMonitor monitor, ILoggerFactory loggers) : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<UpstreamBalancer>> _balancers = new(StringComparer.OrdinalIgnoreCase);

    public UpstreamBalancer Get(string serviceName) =>
        _balancers.GetOrAdd(serviceName, name => new Lazy<UpstreamBalancer>(() => Create(name))).Value;

    /// <summary>Gets the balancers created so far (for <c>/endpoints</c>).</summary>
    public IEnumerable<UpstreamBalancer> All => _balancers.Values.Where(b => b.IsValueCreated).Select(b => b.Value).OrderBy(b => b.ServiceName, StringComparer.Ordinal);

    private UpstreamBalancer Create(string serviceName)
    {
        var mesh = options.Value;
        var balancing = mesh.Services.TryGetValue(serviceName, out var service) ? service.Balancing : new BalancingOptions();
        return new UpstreamBalancer(serviceName, MeshServiceCollectionExtensions.QueryFor(mesh, serviceName), discovery, balancing, time, monitor, loggers.CreateLogger("Mesh.Sidecar.Outbound"));
    }

    public void Dispose()
    {
        foreach (var balancer in _balancers.Values.Where(b => b.IsValueCreated))
        {
            balancer.Value.Dispose();
        }
    }
}
