namespace Mesh.Testing.Consul.Internal;

/// <summary><c>/v1/agent/service/*</c>, <c>/v1/agent/services</c> and <c>/v1/agent/checks</c>.</summary>
internal static class AgentServiceEndpoints
{
    public static async Task RegisterAsync(EmulatorRequestContext request, string rest)
    {
        var (service, checks) = RegistrationParser.Parse(await request.ReadBodyAsync().ConfigureAwait(false), request.Options);
        lock (request.State.Sync)
        {
            request.State.Register(service, checks, request.Flag("replace-existing-checks"));
        }

        await request.EmptyAsync().ConfigureAwait(false);
    }

    /// <summary>An unknown id answers 200 as Consul 1.10 does (newer agents answer 404; see <see cref="EmulatorSwitches.DeregisterUnknownAnswers404"/>).</summary>
    public static Task DeregisterAsync(EmulatorRequestContext request, string id)
    {
        bool found;
        lock (request.State.Sync)
        {
            found = request.State.Deregister(id);
        }

        if (!found && request.Switches.DeregisterUnknownAnswers404)
        {
            throw new EmulatorHttpException(404, $"Unknown service ID \"{id}\"");
        }

        return request.EmptyAsync();
    }

    public static Task MaintenanceAsync(EmulatorRequestContext request, string id)
    {
        var enable = request.Value("enable") switch
        {
            null or "" => throw EmulatorHttpException.BadRequest("Missing value for enable"),
            "true" or "1" or "t" or "T" or "TRUE" or "True" => true,
            "false" or "0" or "f" or "F" or "FALSE" or "False" => false,
            var other => throw EmulatorHttpException.BadRequest($"Invalid value for enable: \"{other}\""),
        };
        bool found;
        lock (request.State.Sync)
        {
            found = request.State.SetMaintenance(id, enable, request.Value("reason"));
        }

        return found ? request.EmptyAsync() : throw new EmulatorHttpException(404, $"No service registered with ID \"{id}\"");
    }

    public static Task ServicesAsync(EmulatorRequestContext request, string rest)
    {
        var state = request.State;
        byte[] body;
        lock (state.Sync)
        {
            body = EmulatorJson.Write(request.Pretty, w =>
            {
                w.WriteStartObject();
                foreach (var service in state.Services)
                {
                    w.WritePropertyName(service.Id);
                    EmulatorJson.AgentService(w, service, request.Options.Datacenter);
                }

                w.WriteEndObject();
            });
        }

        return request.JsonAsync(request.Filter()?.Apply(body, request.Pretty) ?? body);
    }

    public static Task ChecksAsync(EmulatorRequestContext request, string rest)
    {
        var state = request.State;
        byte[] body;
        lock (state.Sync)
        {
            body = EmulatorJson.Write(request.Pretty, w =>
            {
                w.WriteStartObject();
                foreach (var check in state.Checks.Where(c => c.IsAgentLocal))
                {
                    w.WritePropertyName(check.CheckId);
                    EmulatorJson.Check(w, state, check, agentView: true);
                }

                w.WriteEndObject();
            });
        }

        return request.JsonAsync(request.Filter()?.Apply(body, request.Pretty) ?? body);
    }
}
