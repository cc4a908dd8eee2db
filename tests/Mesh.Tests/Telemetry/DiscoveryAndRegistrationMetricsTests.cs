using System.Diagnostics.Metrics;
using Mesh.Discovery;
using Mesh.Registration.Internal;
using Mesh.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Mesh.Tests.Telemetry;

public sealed class DiscoveryAndRegistrationMetricsTests
{
    private static IHost BuildHost()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Mesh:Registry"] = "Static",
            ["Mesh:Services:orders:Endpoints:0"] = "10.0.0.1:5000",
            ["Mesh:Services:orders:Endpoints:1"] = "10.0.0.2:5000",
            ["Mesh:Registration:ServiceName"] = "billing",
            ["Mesh:Registration:Address"] = "127.0.0.1",
            ["Mesh:Registration:Port"] = "7000",
            ["Mesh:Registration:DrainDelay"] = "00:00:00",
        });
        builder.Services.AddMesh(builder.Configuration);
        return builder.Build();
    }

    /// <summary>Collects what this host's "Mesh" meter reports, ignoring other hosts' meters in parallel tests.</summary>
    private sealed class Collector : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly List<(string Name, double Value, Dictionary<string, object?> Tags)> _measurements = [];

        public Collector(IMeterFactory scope)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == MeshTelemetry.MeterName && ReferenceEquals(instrument.Meter.Scope, scope))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Record(i, v, tags));
            _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
            _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
            _listener.Start();
        }

        public IReadOnlyList<(string Name, double Value, Dictionary<string, object?> Tags)> Collect()
        {
            _listener.RecordObservableInstruments();
            lock (_measurements)
            {
                return [.. _measurements];
            }
        }

        public void Dispose() => _listener.Dispose();

        private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            lock (_measurements)
            {
                _measurements.Add((instrument.Name, value, tags.ToArray().ToDictionary(t => t.Key, t => t.Value)));
            }
        }
    }

    [Fact]
    public async Task WatchedServicesAndRegistrationState_AreReported()
    {
        using var host = BuildHost();
        using var collector = new Collector(host.Services.GetRequiredService<IMeterFactory>());
        await host.StartAsync();
        using var watch = host.Services.GetRequiredService<IServiceDiscovery>().Watch(ServiceQuery.For("orders"));
        var snapshot = await watch.WaitForChangeAsync(0).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(2, snapshot.Endpoints.Length);
        var registration = host.Services.GetRequiredService<RegistrationService>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await registration.WaitForStateAsync(Mesh.Registration.RegistrationState.Registered, timeout.Token);

        var measurements = collector.Collect();

        var instances = Assert.Single(measurements, m => m.Name == "mesh.discovery.instances");
        Assert.Equal((2d, "orders"), (instances.Value, instances.Tags["mesh.service"]));
        var staleness = Assert.Single(measurements, m => m.Name == "mesh.discovery.staleness");
        Assert.Equal(0d, staleness.Value);
        Assert.Contains(measurements, m => m.Name == "mesh.discovery.changes" && (string?)m.Tags["mesh.service"] == "orders");
        var state = Assert.Single(measurements, m => m.Name == "mesh.registration.state");
        Assert.Equal(("billing", "registered"), ((string?)state.Tags["mesh.service"], (string?)state.Tags["mesh.registration.state"]));
        Assert.Contains(measurements, m => m.Name == "mesh.registration.transitions" && (string?)m.Tags["mesh.registration.state"] == "registered");
        await host.StopAsync();
    }
}
