using Mesh.Registration;
using Mesh.Registration.Internal;
using Mesh.Sidecar.Configuration;
using Mesh.Sidecar.Health;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Mesh.Sidecar.Tests.TestSupport;

/// <summary>
/// A sidecar started in this process exactly as the executable builds it (<see cref="SidecarHost"/>), on free
/// loopback ports, registering service <c>orders</c> in a Local registry directory of its own unless told otherwise.
/// </summary>
internal sealed class RunningSidecar : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _disposed;

    private RunningSidecar(WebApplication app, string registryDirectory)
    {
        _app = app;
        RegistryDirectory = registryDirectory;
        Admin = new HttpClient { BaseAddress = AdminUri };
    }

    public IServiceProvider Services => _app.Services;

    public string RegistryDirectory { get; }

    public SidecarListeners Listeners => Services.GetRequiredService<SidecarListeners>();

    public Uri InboundUri => new($"http://{SidecarListeners.Format(Listeners.InboundBound!)}");

    public Uri AdminUri => new($"http://{SidecarListeners.Format(Listeners.AdminBound!)}");

    public HttpClient Admin { get; }

    public AppProber Prober => Services.GetRequiredService<AppProber>();

    public RegistrationService Registration => Services.GetRequiredService<RegistrationService>();

    /// <summary>The settings every test sidecar starts from.</summary>
    public static Dictionary<string, string?> Defaults(int appPort, string registryDirectory) => new()
    {
        ["Mesh:Sidecar:AppPort"] = appPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Mesh:Sidecar:Inbound"] = "http://127.0.0.1:0",
        ["Mesh:Sidecar:Outbound"] = "http://127.0.0.1:0",
        ["Mesh:Sidecar:Admin"] = "http://127.0.0.1:0",
        ["Mesh:Registry"] = "Local",
        ["Mesh:Local:Directory"] = registryDirectory,
        ["Mesh:Registration:ServiceName"] = "orders",
        ["Mesh:Registration:DrainDelay"] = "00:00:00",
    };

    /// <summary>Builds the sidecar without starting it.</summary>
    public static WebApplication Build(Dictionary<string, string?> settings, TimeProvider? time = null, Action<WebApplicationBuilder>? configure = null) =>
        SidecarHost.Build([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(settings);
            builder.Logging.ClearProviders();
            if (time is not null)
            {
                builder.Services.AddSingleton(time);
            }

            configure?.Invoke(builder);
        });

    /// <summary>Starts a sidecar for the app on <paramref name="appPort"/> and waits until it has registered.</summary>
    public static async Task<RunningSidecar> StartAsync(
        int appPort, Dictionary<string, string?>? overrides = null, TimeProvider? time = null, Action<WebApplicationBuilder>? configure = null)
    {
        var directory = Directory.CreateTempSubdirectory("mesh-sidecar-test-").FullName;
        var settings = Defaults(appPort, directory);
        foreach (var (key, value) in overrides ?? [])
        {
            settings[key] = value;
        }

        var app = Build(settings, time, configure);
        await SidecarHost.StartAsync(app);
        var sidecar = new RunningSidecar(app, directory);
        if (sidecar.Registration.State != RegistrationState.Disabled)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await sidecar.Registration.WaitForStateAsync(RegistrationState.Registered, timeout.Token);
        }

        return sidecar;
    }

    /// <summary>
    /// Starts a sidecar whose settings name a port picked here (an upstream port): picked free, it can be taken (by
    /// any connection's ephemeral port) before the sidecar binds it, so a start that finds it taken tries another.
    /// </summary>
    public static async Task<(RunningSidecar Sidecar, int Port)> StartOnFreePortAsync(Func<int, Task<RunningSidecar>> start)
    {
        for (var tries = 1; ; tries++)
        {
            var port = Inbound.InboundGrpcTests.FreePort();
            try
            {
                return (await start(port), port);
            }
            catch (SidecarStartupException) when (tries < 3)
            {
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        Admin.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        try
        {
            Directory.Delete(RegistryDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
