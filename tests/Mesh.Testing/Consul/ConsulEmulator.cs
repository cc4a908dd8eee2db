using System.Net;
using Mesh.Testing.Consul.Internal;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Mesh.Testing.Consul;

/// <summary>
/// An in-process Consul agent for tests: a real HTTP server on 127.0.0.1 that implements the part of Consul's HTTP API
/// Mesh uses (agent service register/deregister/maintenance, TTL check updates, health and catalog reads with blocking
/// queries, KV with check-and-set, ACL tokens) and answers exactly as the Consul 1.10 agent recorded in
/// <c>tests/consul-samples/</c> does. TTL expiry, critical reaping and blocking waits run on
/// <see cref="ConsulEmulatorOptions.TimeProvider"/>, so a FakeTimeProvider drives them. Switches simulate faults
/// (<see cref="Fault"/>) and agent restarts (<see cref="Restart"/>).
/// </summary>
/// <remarks>HTTP and gRPC checks are stored and reported but not run: set their status with <see cref="SetCheckStatus"/>.</remarks>
/// <example>
/// Release a blocking query deterministically on a fake clock:
/// <code>
/// await using var consul = await ConsulEmulator.StartNewAsync(new ConsulEmulatorOptions { TimeProvider = time });
/// var query = client.Health.ServiceAsync("web", options: ConsulQueryOptions.Blocking(index, TimeSpan.FromSeconds(5)));
/// await consul.WaitForParkedQueryAsync("web");  // parked, its wait timer created
/// time.Advance(TimeSpan.FromSeconds(5));         // the wait elapses: it answers the same index
/// </code>
/// </example>
public sealed class ConsulEmulator : IAsyncDisposable
{
    private readonly ConsulEmulatorOptions _options;
    private readonly EmulatorState _state;
    private readonly EmulatorSwitches _switches = new();
    private readonly RequestLog _log = new();
    private readonly CancellationTokenSource _stopping = new();
    private WebApplication? _app;
    private Uri? _address;

    /// <summary>Creates an emulator; call <see cref="StartAsync"/> before use.</summary>
    /// <param name="options">Node identity and clock; defaults reproduce the recorded agent on the system clock.</param>
    public ConsulEmulator(ConsulEmulatorOptions? options = null)
    {
        _options = options ?? new ConsulEmulatorOptions();
        _state = new EmulatorState(_options);
    }

    /// <summary>Creates and starts an emulator.</summary>
    /// <param name="options">Node identity and clock.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    public static async Task<ConsulEmulator> StartNewAsync(ConsulEmulatorOptions? options = null, CancellationToken cancellationToken = default)
    {
        var emulator = new ConsulEmulator(options);
        await emulator.StartAsync(cancellationToken).ConfigureAwait(false);
        return emulator;
    }

    /// <summary>Gets the agent's address, <c>http://127.0.0.1:&lt;port&gt;/</c>, once started.</summary>
    public Uri Address => _address ?? throw new InvalidOperationException("The emulator has not been started.");

    /// <summary>Gets the clock TTLs, reaping and blocking waits run on.</summary>
    public TimeProvider TimeProvider => _options.TimeProvider;

    /// <summary>
    /// Gets or sets the ACL token every request must carry (<c>X-Consul-Token</c>, a bearer token or <c>?token=</c>);
    /// without it the answer is 403 <c>Permission denied</c>, with another one 403 <c>ACL not found</c>.
    /// <see langword="null"/> (the default) allows anonymous requests.
    /// </summary>
    public string? RequiredToken { get => _switches.RequiredToken; set => _switches.RequiredToken = value; }

    /// <summary>Gets or sets the fault every request (or those under <see cref="FaultPathPrefix"/>) is answered with.</summary>
    public EmulatorFault Fault { get => _switches.Fault; set => _switches.Fault = value; }

    /// <summary>Gets or sets the path prefix <see cref="Fault"/> applies to, such as <c>/v1/health/</c>; <see langword="null"/> for all.</summary>
    public string? FaultPathPrefix { get => _switches.FaultPathPrefix; set => _switches.FaultPathPrefix = value; }

    /// <summary>Gets or sets the body size of <see cref="EmulatorFault.Oversized"/>; defaults to 17 MiB, past the client's 16 MiB limit.</summary>
    public int OversizedBytes { get => _switches.OversizedBytes; set => _switches.OversizedBytes = value; }

    /// <summary>
    /// Gets or sets whether queries with an <c>index</c> block. Turned off, every query answers at once, as a cache or
    /// proxy in front of the agent may: what a client's minimum query interval must cope with.
    /// </summary>
    public bool BlockingQueriesEnabled { get => _switches.BlockingQueriesEnabled; set => _switches.BlockingQueriesEnabled = value; }

    /// <summary>
    /// Gets or sets whether deregistering an unknown id answers 404 <c>Unknown service ID</c>, as Consul 1.11+ does,
    /// instead of 1.10's 200.
    /// </summary>
    public bool DeregisterUnknownAnswers404 { get => _switches.DeregisterUnknownAnswers404; set => _switches.DeregisterUnknownAnswers404 = value; }

    /// <summary>Gets the current Raft index (the highest <c>X-Consul-Index</c> any read can answer).</summary>
    public ulong Index => Locked(() => _state.Index);

    /// <summary>Gets how many requests have been received.</summary>
    public int RequestCount => _log.Count;

    /// <summary>Gets every request received so far, oldest first.</summary>
    public IReadOnlyList<EmulatorRequest> Requests => _log.Snapshot();

    /// <summary>Gets how many blocking queries are parked now.</summary>
    public int ParkedQueryCount => Locked(() => _state.Parked.Count);

    /// <summary>Starts serving on 127.0.0.1 on a free port.</summary>
    /// <param name="cancellationToken">Cancels the start.</param>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_stopping.IsCancellationRequested, this);
        if (_app is not null)
        {
            throw new InvalidOperationException("The emulator has already been started.");
        }

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ApplicationName = typeof(ConsulEmulator).Assembly.GetName().Name });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPAddress.Loopback, 0);
        });
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(5));
        var app = builder.Build();
        var router = new EmulatorRouter(_state, _switches, _options, _log, _stopping.Token);
        app.Run(router.HandleAsync);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _address = new Uri(bound.TrimEnd('/') + "/");
        _app = app;
    }

    /// <summary>
    /// Simulates an agent restart that lost its local state: every service and check is forgotten (heartbeats then
    /// answer <c>does not have associated TTL</c>), at a new, higher index. With <paramref name="resetIndex"/> the
    /// cluster starts over like a restarted dev agent: KV is emptied too and <c>X-Consul-Index</c> goes backwards;
    /// queries parked on a higher index then wait out their <c>wait</c>, as Consul's do.
    /// </summary>
    /// <param name="resetIndex">Whether the Raft index starts over.</param>
    public void Restart(bool resetIndex = false) => Locked(() => _state.Restart(resetIndex));

    /// <summary>Returns the registered instances of <paramref name="service"/> with their checks, ordered by id.</summary>
    /// <param name="service">The service name.</param>
    public IReadOnlyList<EmulatedService> Services(string service) => Locked(() => EmulatorSnapshot.Services(_state, service));

    /// <summary>
    /// Forces a check's status (and output), as if it had been updated: also works on <c>serfHealth</c> (the node) and
    /// on HTTP, gRPC and maintenance checks. Returns <see langword="false"/> for an unknown check.
    /// </summary>
    /// <param name="checkId">The check id.</param>
    /// <param name="status"><c>passing</c>, <c>warning</c> or <c>critical</c>.</param>
    /// <param name="output">The new output, or <see langword="null"/> to keep it.</param>
    public bool SetCheckStatus(string checkId, string status, string? output = null)
    {
        ArgumentNullException.ThrowIfNull(checkId);
        if (!EmulatorStatus.IsValid(status))
        {
            throw new ArgumentOutOfRangeException(nameof(status), status, "Expected passing, warning or critical.");
        }

        return Locked(() => _state.ForceStatus(checkId, status, output));
    }

    /// <summary>Registers an instance without checks (so it is passing while the node is), as a register call would.</summary>
    /// <param name="id">The instance id.</param>
    /// <param name="name">The service name.</param>
    /// <param name="port">The port.</param>
    /// <param name="address">The address; empty for the node's.</param>
    /// <param name="tags">The tags.</param>
    public void RegisterService(string id, string name, int port, string address = "127.0.0.1", params string[] tags)
    {
        // Through the same parser as the HTTP API, so the defaults (tagged addresses, weights) are the same.
        var (service, checks) = RegistrationParser.Parse(RegistrationParser.Body(id, name, port, address, tags), _options);
        Locked(() => _state.Register(service, checks, replaceExistingChecks: true));
    }

    /// <summary>Deregisters an instance; <see langword="false"/> if it was not registered.</summary>
    /// <param name="id">The instance id.</param>
    public bool DeregisterService(string id) => Locked(() => _state.Deregister(id));

    /// <summary>Counts the requests received whose path starts with <paramref name="pathPrefix"/>.</summary>
    /// <param name="pathPrefix">Such as <c>/v1/health/service/web</c>.</param>
    /// <param name="method">Only this HTTP method, or <see langword="null"/> for any.</param>
    public int CountRequests(string pathPrefix, string? method = null) => _log.CountMatching(Matcher(pathPrefix, method));

    /// <summary>Completes once <paramref name="count"/> requests under <paramref name="pathPrefix"/> have been answered (at once if they have).</summary>
    /// <param name="pathPrefix">Such as <c>/v1/agent/service/register</c>.</param>
    /// <param name="count">How many answered requests to wait for, counting from the start.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    public Task WaitForRequestsAsync(string pathPrefix, int count, CancellationToken cancellationToken = default) =>
        _log.When(answered: true, Matcher(pathPrefix, null), count).WaitAsync(cancellationToken);

    /// <summary>
    /// Completes once <paramref name="count"/> requests under <paramref name="pathPrefix"/> have arrived, answered or not
    /// (at once if they have): what to wait for before advancing a client's fake clock past a hanging request.
    /// </summary>
    /// <param name="pathPrefix">Such as <c>/v1/health/service/web</c>.</param>
    /// <param name="count">How many received requests to wait for, counting from the start.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    public Task WaitForReceivedRequestsAsync(string pathPrefix, int count, CancellationToken cancellationToken = default) =>
        _log.When(answered: false, Matcher(pathPrefix, null), count).WaitAsync(cancellationToken);

    /// <summary>
    /// Completes when a blocking query on <paramref name="service"/> (health, health checks or catalog) is parked, at
    /// once if one is: its wait timer already exists, so advancing a fake clock next releases it deterministically.
    /// </summary>
    /// <param name="service">The service name.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    public Task WaitForParkedQueryAsync(string service, CancellationToken cancellationToken = default) =>
        Locked(() => _state.Parked.WhenParked(ParkedQueries.ServiceTopic(service))).WaitAsync(cancellationToken);

    /// <summary>Completes when a blocking KV read of <paramref name="key"/> (or of that prefix) is parked.</summary>
    /// <param name="key">The key or prefix, without a leading slash.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    public Task WaitForParkedKeyQueryAsync(string key, CancellationToken cancellationToken = default) =>
        Locked(() => _state.Parked.WhenParked(ParkedQueries.KeyTopic(key))).WaitAsync(cancellationToken);

    /// <summary>Stops the server, releasing parked and hanging requests, and the check timers.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        _state.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync().ConfigureAwait(false);
            await _app.DisposeAsync().ConfigureAwait(false);
        }

        _stopping.Dispose();
    }

    private static Func<EmulatorRequest, bool> Matcher(string pathPrefix, string? method)
    {
        ArgumentNullException.ThrowIfNull(pathPrefix);
        return r => r.Path.StartsWith(pathPrefix, StringComparison.Ordinal) && (method is null || r.Method == method);
    }

    private T Locked<T>(Func<T> read)
    {
        lock (_state.Sync)
        {
            return read();
        }
    }

    private void Locked(Action change)
    {
        lock (_state.Sync)
        {
            change();
        }
    }
}
