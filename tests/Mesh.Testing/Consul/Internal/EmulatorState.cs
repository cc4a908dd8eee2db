namespace Mesh.Testing.Consul.Internal;

/// <summary>
/// The agent's and catalog's data: one node, its services and checks, the Raft index and the per-service indexes that
/// blocking queries wait on. Every member is used under <see cref="Sync"/>; each change wakes the parked queries it
/// satisfies before it returns.
/// </summary>
internal sealed class EmulatorState : IDisposable
{
    /// <summary>The Raft index of a freshly started dev agent once its node is registered (as in the samples).</summary>
    private const ulong FreshIndex = 13;

    private readonly ConsulEmulatorOptions _options;
    private readonly SortedDictionary<string, ServiceRecord> _services = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, CheckRecord> _checks = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ulong> _serviceIndexes = new(StringComparer.Ordinal);
    private readonly CheckClock _clock;
    private ulong _index;
    private ulong _lastExtinction;
    private ulong _catalogIndex;

    public EmulatorState(ConsulEmulatorOptions options)
    {
        _options = options;
        Time = options.TimeProvider;
        _clock = new CheckClock(this);
        Kv = new EmulatorKv(this);
        Node = null!;
        Reset();
    }

    public Lock Sync { get; } = new();

    public TimeProvider Time { get; }

    public ParkedQueries Parked { get; } = new();

    public EmulatorKv Kv { get; }

    public NodeRecord Node { get; private set; }

    public ulong Index => _index;

    public IEnumerable<ServiceRecord> Services => _services.Values;

    public IEnumerable<CheckRecord> Checks => _checks.Values;

    public ulong NextIndex() => ++_index;

    public ServiceRecord? Service(string id) => _services.GetValueOrDefault(id);

    public CheckRecord? Check(string id) => _checks.GetValueOrDefault(id);

    public IEnumerable<ServiceRecord> InstancesOf(string name) => _services.Values.Where(s => s.Name == name);

    public IEnumerable<CheckRecord> NodeChecks => _checks.Values.Where(c => c.ServiceId.Length == 0);

    public IEnumerable<CheckRecord> ChecksOf(string serviceId) => _checks.Values.Where(c => c.ServiceId == serviceId);

    /// <summary>
    /// The index of <c>/v1/health/service/&lt;name&gt;</c>: the last change to the service's instances or checks; for a
    /// service with no instances Consul answers the index of the last service removal anywhere.
    /// </summary>
    public ulong ServiceIndex(string name) =>
        InstancesOf(name).Any() && _serviceIndexes.TryGetValue(name, out var index) ? index : Math.Max(_lastExtinction, Node.ModifyIndex);

    public ulong CatalogIndex => Math.Max(_catalogIndex, Node.ModifyIndex);

    public void Register(ServiceRecord requested, IReadOnlyList<CheckDefinition> definitions, bool replaceExistingChecks)
    {
        var index = NextIndex();
        var existing = Service(requested.Id);
        var service = requested with
        {
            CreateIndex = existing?.CreateIndex ?? index,
            ModifyIndex = existing is not null && existing.SameDefinition(requested) ? existing.ModifyIndex : index,
        };
        _services[service.Id] = service;
        foreach (var stale in ChecksOf(service.Id).Where(c => replaceExistingChecks || definitions.Any(d => d.CheckId == c.CheckId)).ToList())
        {
            RemoveCheck(stale);
        }

        foreach (var definition in definitions)
        {
            var check = new CheckRecord
            {
                CheckId = definition.CheckId, Name = definition.Name, ServiceId = service.Id, Type = definition.Type,
                Interval = definition.Interval, Timeout = definition.Timeout, Notes = definition.Notes, Ttl = definition.Ttl,
                DeregisterCriticalServiceAfter = definition.DeregisterCriticalServiceAfter,
                Status = definition.Status ?? EmulatorStatus.Critical, CreateIndex = index, ModifyIndex = index,
            };
            _checks[check.CheckId] = check;
            _clock.ArmTtl(check);
            _clock.UpdateReap(check);
        }

        _catalogIndex = index;
        if (existing is not null && existing.Name != service.Name)
        {
            ServiceChanged(existing.Name, index);
        }

        ServiceChanged(service.Name, index);
        Parked.WakeReady();
    }

    public bool Deregister(string serviceId)
    {
        if (!_services.Remove(serviceId, out var service))
        {
            return false;
        }

        foreach (var check in ChecksOf(serviceId).ToList())
        {
            RemoveCheck(check);
        }

        var index = NextIndex();
        _catalogIndex = index;
        ServiceChanged(service.Name, index);
        Parked.WakeReady();
        return true;
    }

    /// <summary>Adds or removes the <c>_service_maintenance:&lt;id&gt;</c> check; <see langword="false"/> for an unknown service.</summary>
    public bool SetMaintenance(string serviceId, bool enable, string? reason)
    {
        if (Service(serviceId) is not { } service)
        {
            return false;
        }

        var checkId = "_service_maintenance:" + serviceId;
        var existing = Check(checkId);
        if (enable == (existing is not null))
        {
            return true;
        }

        var index = NextIndex();
        if (existing is not null)
        {
            RemoveCheck(existing);
        }
        else
        {
            var check = new CheckRecord
            {
                CheckId = checkId, Name = "Service Maintenance Mode", ServiceId = serviceId, Type = "maintenance",
                Notes = string.IsNullOrEmpty(reason) ? "Maintenance mode is enabled for this service, but no reason was provided. This is a default message." : reason,
                Status = EmulatorStatus.Critical, CreateIndex = index, ModifyIndex = index,
            };
            _checks[checkId] = check;
            _clock.UpdateReap(check);
        }

        ServiceChanged(service.Name, index);
        Parked.WakeReady();
        return true;
    }

    /// <summary>A TTL update from the HTTP API; <see langword="false"/> when the agent has no such TTL check.</summary>
    public bool UpdateTtl(string checkId, string status, string output)
    {
        if (Check(checkId) is not { Type: "ttl", IsAgentLocal: true } check)
        {
            return false;
        }

        _clock.ArmTtl(check);
        SetStatus(check, status, output);
        return true;
    }

    /// <summary>Forces any check's status (a test helper: also works on serfHealth and maintenance checks).</summary>
    public bool ForceStatus(string checkId, string status, string? output)
    {
        if (Check(checkId) is not { } check)
        {
            return false;
        }

        _clock.ArmTtl(check);
        SetStatus(check, status, output ?? check.Output);
        return true;
    }

    /// <summary>
    /// The agent lost its local state: its services and checks are gone (the catalog follows, at a new index). With
    /// <paramref name="resetIndex"/> the whole cluster starts over, as a restarted dev agent does: KV is emptied and
    /// indexes begin again below what clients have seen.
    /// </summary>
    public void Restart(bool resetIndex)
    {
        if (resetIndex)
        {
            Reset();
            Parked.WakeReady();
            return;
        }

        var names = _services.Values.Select(s => s.Name).Distinct().ToList();
        foreach (var check in _checks.Values.Where(c => c.IsAgentLocal).ToList())
        {
            RemoveCheck(check);
        }

        _services.Clear();
        var index = NextIndex();
        _catalogIndex = index;
        foreach (var name in names)
        {
            ServiceChanged(name, index);
        }

        Parked.WakeReady();
    }

    public void Dispose()
    {
        lock (Sync)
        {
            foreach (var check in _checks.Values)
            {
                check.DisposeTimers();
            }

            Parked.WakeAll();
        }
    }

    /// <summary>Applies a status; a real change takes a new index and wakes the queries watching the service.</summary>
    public void SetStatus(CheckRecord check, string status, string output)
    {
        if (check.Status == status)
        {
            // Consul syncs output-only changes to the catalog lazily: no new index, no woken watchers.
            check.Output = output;
            return;
        }

        var index = NextIndex();
        check.Status = status;
        check.Output = output;
        check.ModifyIndex = index;
        _clock.UpdateReap(check);
        if (check.ServiceId.Length == 0)
        {
            foreach (var name in _services.Values.Select(s => s.Name).Distinct().ToList())
            {
                ServiceChanged(name, index);
            }
        }
        else if (Service(check.ServiceId) is { } service)
        {
            ServiceChanged(service.Name, index);
        }

        Parked.WakeReady();
    }

    private void ServiceChanged(string name, ulong index)
    {
        _serviceIndexes[name] = index;
        if (!InstancesOf(name).Any())
        {
            _lastExtinction = index;
        }
    }

    private void RemoveCheck(CheckRecord check)
    {
        check.DisposeTimers();
        _checks.Remove(check.CheckId);
    }

    private void Reset()
    {
        foreach (var check in _checks.Values)
        {
            check.DisposeTimers();
        }

        _services.Clear();
        _checks.Clear();
        _serviceIndexes.Clear();
        _lastExtinction = 0;
        _catalogIndex = 0;
        Kv.Clear();
        _index = FreshIndex;
        Node = new NodeRecord(_options.NodeId, _options.NodeName, _options.NodeAddress, _options.Datacenter, 11, FreshIndex);
        _checks["serfHealth"] = new CheckRecord
        {
            CheckId = "serfHealth", Name = "Serf Health Status", Status = EmulatorStatus.Passing, Output = "Agent alive and reachable",
            IsAgentLocal = false, CreateIndex = 11, ModifyIndex = 11,
        };
    }
}
