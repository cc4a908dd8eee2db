using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Mesh.Discovery;
using Mesh.Registration;

namespace Mesh.Telemetry.Internal;

/// <summary>
/// Mesh's instruments, on a <see cref="Meter"/> named <see cref="MeshTelemetry.MeterName"/> created through
/// <see cref="IMeterFactory"/>, so each DI container has its own and disposing the container ends them.
/// Discovery and registration report here; gauges read their state only when a listener collects.
/// </summary>
internal sealed partial class MeshMetrics
{
    private readonly Counter<long> _discoveryChanges;
    private readonly Counter<long> _registrationTransitions;
    private readonly ConcurrentDictionary<object, Func<IEnumerable<ServiceSnapshot>>> _discoverySources = new();
    private readonly ConcurrentDictionary<object, Func<(string? Service, RegistrationState State)>> _registrationSources = new();

    public MeshMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(new MeterOptions(MeshTelemetry.MeterName) { Version = MeshVersion.Value });
        _discoveryChanges = meter.CreateCounter<long>(MeshMetricNames.DiscoveryChanges, "{change}",
            "Changes of a watched service's endpoint set (instances added, removed or changed health).");
        _registrationTransitions = meter.CreateCounter<long>(MeshMetricNames.RegistrationTransitions, "{transition}",
            "Registration state changes of this instance, by the state entered.");
        meter.CreateObservableGauge(MeshMetricNames.DiscoveryInstances, ObserveInstances, "{instance}",
            "Healthy instances of each watched service in the current snapshot (the last good one while the registry fails).");
        meter.CreateObservableGauge(MeshMetricNames.DiscoveryStaleness, ObserveStaleness, "s",
            "How long each watched service's snapshot has been stale because the registry fails; 0 when fresh.");
        meter.CreateObservableGauge(MeshMetricNames.RegistrationState, ObserveRegistration, "{state}",
            "1 for this instance's current registration state (pending, registered, draining, deregistered, disabled).");
        CreateCallInstruments(meter);
    }

    /// <summary>Gets the clock staleness is measured with.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    public void TrackDiscovery(object owner, Func<IEnumerable<ServiceSnapshot>> snapshots) => _discoverySources[owner] = snapshots;

    public void TrackRegistration(object owner, Func<(string? Service, RegistrationState State)> state) => _registrationSources[owner] = state;

    public void Untrack(object owner)
    {
        _discoverySources.TryRemove(owner, out _);
        _registrationSources.TryRemove(owner, out _);
    }

    public void EndpointsChanged(ServiceQuery query) => _discoveryChanges.Add(1, QueryTags(query));

    public void RegistrationEntered(string? service, RegistrationState state) =>
        _registrationTransitions.Add(1, new KeyValuePair<string, object?>(MeshMetricNames.ServiceAttribute, service), StateTag(state));

    private IEnumerable<Measurement<int>> ObserveInstances() =>
        Snapshots().Select(s => new Measurement<int>(s.Endpoints.Length, QueryTags(s.Query)));

    private IEnumerable<Measurement<double>> ObserveStaleness()
    {
        var now = TimeProvider.GetUtcNow();
        return Snapshots().Select(s => new Measurement<double>(s.StalenessAt(now).TotalSeconds, QueryTags(s.Query)));
    }

    private IEnumerable<Measurement<int>> ObserveRegistration() =>
        _registrationSources.Values.Select(read => read()).Where(r => r.Service is not null)
            .Select(r => new Measurement<int>(1, new KeyValuePair<string, object?>(MeshMetricNames.ServiceAttribute, r.Service), StateTag(r.State)));

    private IEnumerable<ServiceSnapshot> Snapshots() => _discoverySources.Values.SelectMany(read => read());

    private static TagList QueryTags(ServiceQuery query)
    {
        var tags = new TagList { { MeshMetricNames.ServiceAttribute, query.ServiceName } };
        if (query.Tag is not null)
        {
            tags.Add(MeshMetricNames.TagAttribute, query.Tag);
        }

        return tags;
    }

    private static KeyValuePair<string, object?> StateTag(RegistrationState state) =>
        new(MeshMetricNames.StateAttribute, state switch
        {
            RegistrationState.Pending => "pending",
            RegistrationState.Registered => "registered",
            RegistrationState.Draining => "draining",
            RegistrationState.Deregistered => "deregistered",
            _ => "disabled",
        });
}
