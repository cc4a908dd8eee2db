namespace Mesh.Testing.Consul.Internal;

/// <summary><c>/v1/catalog/services</c> and <c>/v1/catalog/service/&lt;name&gt;</c>, blocking queries included.</summary>
internal static class CatalogEndpoints
{
    public static async Task ServicesAsync(EmulatorRequestContext request, string rest)
    {
        request.RequireOwnDatacenter();
        var state = request.State;
        await BlockingQuery.WaitAsync(request, ParkedQueries.CatalogTopic, () => state.CatalogIndex).ConfigureAwait(false);

        ulong index;
        byte[] body;
        lock (state.Sync)
        {
            index = state.CatalogIndex;
            var names = state.Services.GroupBy(s => s.Name).OrderBy(g => g.Key, StringComparer.Ordinal);
            body = EmulatorJson.Write(request.Pretty, w =>
            {
                w.WriteStartObject();
                foreach (var group in names)
                {
                    EmulatorJson.Strings(w, group.Key, group.SelectMany(s => s.Tags).Distinct().Order(StringComparer.Ordinal));
                }

                w.WriteEndObject();
            });
        }

        await request.JsonAsync(body, index, withConsistency: true).ConfigureAwait(false);
    }

    public static async Task ServiceAsync(EmulatorRequestContext request, string name)
    {
        request.RequireOwnDatacenter();
        var filter = request.Filter();
        var tags = request.Values("tag");
        var state = request.State;
        await BlockingQuery.WaitAsync(request, ParkedQueries.ServiceTopic(name), () => state.ServiceIndex(name)).ConfigureAwait(false);

        ulong index;
        byte[] body;
        lock (state.Sync)
        {
            index = state.ServiceIndex(name);
            var instances = state.InstancesOf(name).Where(s => tags.All(s.Tags.Contains)).ToList();
            body = EmulatorJson.Write(request.Pretty, w =>
            {
                w.WriteStartArray();
                instances.ForEach(s => EmulatorJson.CatalogService(w, state.Node, s));
                w.WriteEndArray();
            });
        }

        await request.JsonAsync(filter?.Apply(body, request.Pretty) ?? body, index, withConsistency: true).ConfigureAwait(false);
    }
}
