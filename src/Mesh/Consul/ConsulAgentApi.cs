using System.Net.Http.Json;
using Mesh.Consul.Internal;
using Mesh.Consul.Models;

namespace Mesh.Consul;

/// <summary>The local agent's endpoints (<c>/v1/agent/*</c>).</summary>
public sealed class ConsulAgentApi
{
    private readonly ConsulTransport _transport;

    internal ConsulAgentApi(ConsulTransport transport) => _transport = transport;

    /// <summary>Registers a service instance (replacing one with the same id).</summary>
    /// <param name="registration">The instance and its checks.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task RegisterServiceAsync(AgentServiceRegistration registration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(registration);
        var content = JsonContent.Create(registration, ConsulJsonContext.Default.AgentServiceRegistration);
        return _transport.SendAsync(HttpMethod.Put, new ConsulQueryString("v1/agent/service/register"), content, cancellationToken);
    }

    /// <summary>Deregisters a service instance. Unknown ids succeed (older agents answer 200, newer 404; both are accepted).</summary>
    /// <param name="serviceId">The instance id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task DeregisterServiceAsync(string serviceId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(serviceId);
        try
        {
            await _transport.SendAsync(HttpMethod.Put, new ConsulQueryString("v1/agent/service/deregister/" + Uri.EscapeDataString(serviceId)), null, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (ConsulException ex) when (ex.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            // Already gone: the outcome the caller wanted.
        }
    }

    /// <summary>Puts a service instance in or out of maintenance mode (a critical check that hides it).</summary>
    /// <param name="serviceId">The instance id.</param>
    /// <param name="enable">Whether maintenance is on.</param>
    /// <param name="reason">Shown in the maintenance check's notes.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task SetServiceMaintenanceAsync(string serviceId, bool enable, string? reason = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(serviceId);
        var path = new ConsulQueryString("v1/agent/service/maintenance/" + Uri.EscapeDataString(serviceId))
            .Add("enable", enable ? "true" : "false")
            .Add("reason", enable ? reason : null);
        return _transport.SendAsync(HttpMethod.Put, path, null, cancellationToken);
    }

    /// <summary>Sets a TTL check's status and output (<c>/v1/agent/check/update</c>), resetting its TTL.</summary>
    /// <param name="checkId">The check id, such as <c>service:web-1</c>.</param>
    /// <param name="status">One of <see cref="HealthStatus.Passing"/>, <see cref="HealthStatus.Warning"/>, <see cref="HealthStatus.Critical"/>.</param>
    /// <param name="output">Human-readable output.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="ConsulException">With <see cref="ConsulException.IsUnknownCheckOrService"/> when the agent forgot the check.</exception>
    public Task UpdateTtlAsync(string checkId, string status, string? output = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(checkId);
        if (status is not (HealthStatus.Passing or HealthStatus.Warning or HealthStatus.Critical))
        {
            throw new ArgumentOutOfRangeException(nameof(status), status, "Expected passing, warning or critical.");
        }

        var content = JsonContent.Create(new CheckUpdate(status, output), ConsulJsonContext.Default.CheckUpdate);
        return _transport.SendAsync(HttpMethod.Put, new ConsulQueryString("v1/agent/check/update/" + Uri.EscapeDataString(checkId)), content, cancellationToken);
    }

    /// <summary>Marks a TTL check passing (<c>/v1/agent/check/pass</c>).</summary>
    /// <param name="checkId">The check id.</param>
    /// <param name="note">A note shown as output.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task PassTtlAsync(string checkId, string? note = null, CancellationToken cancellationToken = default) =>
        SetTtlAsync("pass", checkId, note, cancellationToken);

    /// <summary>Marks a TTL check warning (<c>/v1/agent/check/warn</c>).</summary>
    /// <param name="checkId">The check id.</param>
    /// <param name="note">A note shown as output.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task WarnTtlAsync(string checkId, string? note = null, CancellationToken cancellationToken = default) =>
        SetTtlAsync("warn", checkId, note, cancellationToken);

    /// <summary>Marks a TTL check critical (<c>/v1/agent/check/fail</c>).</summary>
    /// <param name="checkId">The check id.</param>
    /// <param name="note">A note shown as output.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task FailTtlAsync(string checkId, string? note = null, CancellationToken cancellationToken = default) =>
        SetTtlAsync("fail", checkId, note, cancellationToken);

    /// <summary>Lists the services registered with this agent, keyed by id.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<IReadOnlyDictionary<string, AgentService>> GetServicesAsync(CancellationToken cancellationToken = default) =>
        (await _transport.GetAsync(new ConsulQueryString("v1/agent/services"), ConsulQueryOptions.Default,
            ConsulJsonContext.Default.DictionaryStringAgentService, cancellationToken).ConfigureAwait(false)).Value;

    /// <summary>Lists the checks registered with this agent, keyed by id.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<IReadOnlyDictionary<string, HealthCheck>> GetChecksAsync(CancellationToken cancellationToken = default) =>
        (await _transport.GetAsync(new ConsulQueryString("v1/agent/checks"), ConsulQueryOptions.Default,
            ConsulJsonContext.Default.DictionaryStringHealthCheck, cancellationToken).ConfigureAwait(false)).Value;

    private Task<string> SetTtlAsync(string verb, string checkId, string? note, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(checkId);
        var path = new ConsulQueryString($"v1/agent/check/{verb}/" + Uri.EscapeDataString(checkId)).Add("note", note);
        return _transport.SendAsync(HttpMethod.Put, path, null, cancellationToken);
    }
}
