namespace Mesh.Testing.Consul.Internal;

/// <summary><c>/v1/health/service/&lt;name&gt;</c> and <c>/v1/health/checks/&lt;name&gt;</c>, blocking queries included.</summary>
internal static class HealthEndpoints
{
    public static async Task ServiceAsync(EmulatorRequestContext request, string name)
    {
        request.RequireOwnDatacenter();
        var filter = request.Filter();
        var tags = request.Values("tag");
        var passingOnly = request.Flag("passing");
        var state = request.State;
        await BlockingQuery.WaitAsync(request, ParkedQueries.ServiceTopic(name), () => state.ServiceIndex(name)).ConfigureAwait(false);

        ulong index;
        byte[] body;
        lock (state.Sync)
        {
            index = state.ServiceIndex(name);
            var instances = state.InstancesOf(name)
                .Where(s => tags.All(s.Tags.Contains))
                .Where(s => !passingOnly || state.NodeChecks.Concat(state.ChecksOf(s.Id)).All(c => c.Status == EmulatorStatus.Passing))
                .ToList();
            body = EmulatorJson.Write(request.Pretty, w =>
            {
                w.WriteStartArray();
                instances.ForEach(s => EmulatorJson.HealthEntry(w, state, s));
                w.WriteEndArray();
            });
        }

        await request.JsonAsync(filter?.Apply(body, request.Pretty) ?? body, index, withConsistency: true).ConfigureAwait(false);
    }

    public static async Task ChecksAsync(EmulatorRequestContext request, string name)
    {
        request.RequireOwnDatacenter();
        var filter = request.Filter();
        var state = request.State;
        await BlockingQuery.WaitAsync(request, ParkedQueries.ServiceTopic(name), () => state.ServiceIndex(name)).ConfigureAwait(false);

        ulong index;
        byte[] body;
        lock (state.Sync)
        {
            index = state.ServiceIndex(name);
            var checks = state.InstancesOf(name).SelectMany(s => state.ChecksOf(s.Id)).OrderBy(c => c.CheckId, StringComparer.Ordinal).ToList();
            body = EmulatorJson.Write(request.Pretty, w =>
            {
                w.WriteStartArray();
                checks.ForEach(c => EmulatorJson.Check(w, state, c, agentView: false));
                w.WriteEndArray();
            });
        }

        await request.JsonAsync(filter?.Apply(body, request.Pretty) ?? body, index, withConsistency: true).ConfigureAwait(false);
    }
}
