using System.Globalization;
using Mesh.Sidecar.Tests.Inbound;

namespace Mesh.Sidecar.Tests.Examples;

/// <summary>
/// The shop as the README runs it without Docker: inventory.py behind the built sidecar executable, Shop.Catalog and
/// Shop.Frontend, every process on this machine, one Local registry directory of their own, OTLP to one endpoint.
/// </summary>
internal sealed class RunningShop : IAsyncDisposable
{
    private readonly List<ExampleProcess> _processes = [];
    private readonly string _registry = Directory.CreateTempSubdirectory("mesh-shop-test-").FullName;

    private RunningShop()
    {
    }

    public Uri Frontend { get; private set; } = null!;

    public IEnumerable<ExampleProcess> Processes => _processes;

    public static async Task<RunningShop> StartAsync(Uri otlpEndpoint, CancellationToken cancellationToken)
    {
        var shop = new RunningShop();
        try
        {
            await shop.StartProcessesAsync(otlpEndpoint, cancellationToken);
            return shop;
        }
        catch
        {
            await shop.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }

        try
        {
            Directory.Delete(_registry, recursive: true);
        }
        catch (IOException)
        {
            // A lease written by a process as it was killed: a folder left in the temp dir, nothing more.
        }
    }

    public override string ToString() => string.Join("\n\n", _processes.Select(p => p.ToString()));

    private async Task StartProcessesAsync(Uri otlpEndpoint, CancellationToken cancellationToken)
    {
        var environment = new Dictionary<string, string>
        {
            ["Mesh__Registry"] = "Local",
            ["Mesh__Local__Directory"] = _registry,
            ["Mesh__Registration__DrainDelay"] = "0s",
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = otlpEndpoint.ToString(),
            ["OTEL_METRICS_EXPORTER"] = "none",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "100", // export within a tenth of a second, not the default 5 s
        };

        var inventory = Start("inventory.py", ExamplePaths.PythonWithGrpc!, [Path.Combine(ExamplePaths.Examples, "Shop", "Inventory", "inventory.py"), "0"], environment);
        var appPort = (await inventory.WaitForLineAsync(l => l.StartsWith("listening ", StringComparison.Ordinal), cancellationToken))["listening ".Length..];

        var sidecar = Start("mesh-sidecar", ExamplePaths.Sidecar,
            ["--service", "inventory", "--app-port", appPort,
             $"--Mesh:Sidecar:Inbound=http://127.0.0.1:{InboundGrpcTests.FreePort()}", $"--Mesh:Sidecar:Admin=http://127.0.0.1:{InboundGrpcTests.FreePort()}"],
            environment);
        var catalog = Start("Shop.Catalog", ExamplePaths.ShopBinary("Shop.Catalog"), ["--urls", "http://127.0.0.1:0"], environment);
        var frontend = Start("Shop.Frontend", ExamplePaths.ShopBinary("Shop.Frontend"), ["--urls", "http://127.0.0.1:0"], environment);

        // Registered = in the Local registry, where the callers' discovery finds them on their first call.
        await sidecar.WaitForLineAsync(l => l.Contains("as inventory at", StringComparison.Ordinal), cancellationToken);
        await catalog.WaitForLineAsync(l => l.Contains("as catalog at", StringComparison.Ordinal), cancellationToken);
        var port = await frontend.WaitForListeningPortAsync(cancellationToken);
        Frontend = new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}"));
    }

    private ExampleProcess Start(string name, string fileName, IEnumerable<string> args, IReadOnlyDictionary<string, string> environment)
    {
        var process = ExampleProcess.Start(name, fileName, args, environment);
        _processes.Add(process);
        return process;
    }
}
