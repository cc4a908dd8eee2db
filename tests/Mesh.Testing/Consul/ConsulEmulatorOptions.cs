namespace Mesh.Testing.Consul;

/// <summary>
/// Who the emulated agent is and which clock it runs on. Defaults reproduce the agent the samples in
/// <c>tests/consul-samples/</c> were recorded from (node <c>vm</c> in <c>dc1</c> on 127.0.0.1).
/// </summary>
public sealed class ConsulEmulatorOptions
{
    /// <summary>Gets or sets the clock for TTLs, critical reaping and blocking waits; a FakeTimeProvider makes them deterministic.</summary>
    /// <value>Defaults to <see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Gets or sets the node name.</summary>
    /// <value>Defaults to <c>vm</c>.</value>
    public string NodeName { get; set; } = "vm";

    /// <summary>Gets or sets the node id (a UUID).</summary>
    public string NodeId { get; set; } = "143ca097-5d57-a367-a44e-805903e8cee5";

    /// <summary>Gets or sets the node's address, which services registered without an address are reached at.</summary>
    /// <value>Defaults to <c>127.0.0.1</c>.</value>
    public string NodeAddress { get; set; } = "127.0.0.1";

    /// <summary>Gets or sets the datacenter; a query naming another one answers 500 <c>No path to datacenter</c>.</summary>
    /// <value>Defaults to <c>dc1</c>.</value>
    public string Datacenter { get; set; } = "dc1";

    /// <summary>
    /// Gets or sets the shortest <c>DeregisterCriticalServiceAfter</c> honoured; Consul raises shorter values to 1 min.
    /// </summary>
    /// <value>Defaults to 1 min.</value>
    public TimeSpan MinDeregisterCriticalServiceAfter { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Gets or sets the blocking wait used when a query gives an index but no <c>wait</c>.</summary>
    /// <value>Defaults to 5 min, as Consul.</value>
    public TimeSpan DefaultBlockingWait { get; set; } = TimeSpan.FromMinutes(5);
}
