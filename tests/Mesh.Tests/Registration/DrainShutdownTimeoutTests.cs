using Mesh.Registration;
using Mesh.Tests.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Mesh.Tests.Registration;

/// <summary>
/// The drain runs inside the host's shutdown timeout, so Mesh raises that timeout by the drain and the deregistration:
/// a long <c>DrainDelay</c> is served in full instead of being cut at the host's 30 s.
/// </summary>
public sealed class DrainShutdownTimeoutTests
{
    private readonly SignallingTimeProvider _time = new();

    private IHost BuildHost(string drainDelay, RecordingRegistrar registrar, TimeSpan? shutdownTimeout = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Mesh:Registration:ServiceName"] = "orders",
            ["Mesh:Registration:Address"] = "10.0.0.7",
            ["Mesh:Registration:Port"] = "5001",
            ["Mesh:Registration:DrainDelay"] = drainDelay,
        });
        if (shutdownTimeout is { } timeout)
        {
            builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = timeout);
        }

        builder.Services.AddSingleton<TimeProvider>(_time);
        builder.Services.AddSingleton<IServiceRegistrar>(registrar);
        builder.Services.AddMesh(builder.Configuration);
        return builder.Build();
    }

    [Fact]
    public void ShutdownTimeout_RaisedByDrainDelayAndDeregistration()
    {
        using var host = BuildHost("00:10:00", new RecordingRegistrar(_time, null));

        var shutdown = host.Services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout;

        Assert.Equal(TimeSpan.FromSeconds(30) + TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(5), shutdown);
    }

    [Fact]
    public async Task Stop_DrainLongerThanTheHostsTimeout_DrainsInFullThenDeregisters()
    {
        var registrar = new RecordingRegistrar(_time, null);
        // The host's own budget is zero: only what Mesh adds covers the drain.
        using var host = BuildHost("00:10:00", registrar, shutdownTimeout: TimeSpan.Zero);
        await host.StartAsync();
        Assert.Equal("register", await registrar.NextCallAsync());

        var stop = host.StopAsync();
        Assert.Equal("maintenance-on", await registrar.NextCallAsync());
        var drain = _time.WaitForTimerAsync(due => due == TimeSpan.FromMinutes(10));
        Assert.Same(drain, await Task.WhenAny(drain, stop));

        _time.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal("deregister", await registrar.NextCallAsync());
        await stop.WaitAsync(TimeSpan.FromSeconds(10));
        var calls = registrar.Calls.ToList();
        Assert.Equal(TimeSpan.FromMinutes(10), calls.Single(c => c.Call == "deregister").At - calls.Single(c => c.Call == "maintenance-on").At);
    }

    [Fact]
    public void ShutdownTimeout_NoRegistration_Untouched()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddMesh(builder.Configuration);
        using var host = builder.Build();

        Assert.Equal(TimeSpan.FromSeconds(30), host.Services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout);
    }
}
