using System.Net;
using System.Text;
using System.Text.Json;
using Mesh.Consul;
using Mesh.Consul.Models;

namespace Mesh.Tests.Consul;

/// <summary>The client reads every recorded Consul response as Consul meant it.</summary>
public sealed class ConsulClientSampleTests
{
    private static ConsulClient ClientFor(ReplayHandler handler, string? token = null) =>
        new(new HttpClient(handler), new ConsulClientOptions { Address = "127.0.0.1:8500", Token = token });

    [Theory]
    [InlineData("health-service-passing.json", "health-passing.headers", 1, 15ul)]
    [InlineData("health-service-all-critical.json", "health-critical.headers", 1, 14ul)]
    [InlineData("blocking-nochange.json", "blocking-nochange.headers", 1, 15ul)]
    [InlineData("blocking-change.json", "blocking-change.headers", 2, 16ul)]
    [InlineData("blocking-ttl-expiry.json", "blocking-ttl-expiry.headers", 1, 0ul)]
    [InlineData("health-service-after-deregister.json", "health-after-dereg.headers", 0, 20ul)]
    [InlineData("health-service-passing-before.json", null, 0, 0ul)]
    public async Task HealthService_RecordedResponse_ParsesEntriesAndIndex(string body, string? headers, int count, ulong expectedIndex)
    {
        var handler = new ReplayHandler(_ => ConsulSamples.Response(body, headers));

        var response = await ClientFor(handler).Health.ServiceAsync("web");

        Assert.Equal(count, response.Value.Length);
        if (headers is not null && expectedIndex > 0)
        {
            Assert.Equal(expectedIndex, response.Index);
        }

        foreach (var entry in response.Value)
        {
            Assert.Equal("web", entry.Service.Service);
            Assert.StartsWith("web-", entry.Service.Id, StringComparison.Ordinal);
            Assert.Equal("vm", entry.Node.Node);
            Assert.Equal("dc1", entry.Node.Datacenter);
            Assert.Contains(entry.Checks, c => c.CheckId == "serfHealth");
        }
    }

    [Fact]
    public async Task HealthService_BlockingChange_MapsEveryField()
    {
        var handler = new ReplayHandler(_ => ConsulSamples.Response("blocking-change.json", "blocking-change.headers"));

        var response = await ClientFor(handler).Health.ServiceAsync("web", options: ConsulQueryOptions.Blocking(15, TimeSpan.FromSeconds(5)));

        var web1 = response.Value[0];
        Assert.Equal(16ul, response.Index);
        Assert.Equal("127.0.0.1", web1.Service.Address);
        Assert.Equal(8080, web1.Service.Port);
        Assert.Equal(["v1", "primary"], web1.Service.Tags!);
        Assert.Equal("1.0", web1.Service.Meta!["version"]);
        Assert.Equal(8080, web1.Service.TaggedAddresses!["lan_ipv4"].Port);
        Assert.Equal(1, web1.Service.Weights!.Passing);
        Assert.Equal(14ul, web1.Service.CreateIndex);
        Assert.Equal("143ca097-5d57-a367-a44e-805903e8cee5", web1.Node.Id);
        Assert.Equal("127.0.0.1", web1.Node.TaggedAddresses!["lan"]);
        var ttl = Assert.Single(web1.Checks, c => c.CheckId == "service:web-1");
        Assert.Equal(("web TTL", HealthStatus.Passing, "all good", "web-1", "ttl"), (ttl.Name, ttl.Status, ttl.Output, ttl.ServiceId, ttl.Type));
        Assert.Equal(HealthStatus.Passing, web1.AggregatedStatus);
        Assert.Null(response.Value[1].Service.Meta); // Consul sends "Meta": null for web-2
        Assert.Equal("/v1/health/service/web?passing&index=15&wait=5s", handler.Requests[0].RequestUri!.PathAndQuery);
    }

    [Fact]
    public async Task HealthService_AllCritical_AggregatesCritical()
    {
        var handler = new ReplayHandler(_ => ConsulSamples.Response("health-service-all-critical.json", "health-critical.headers"));

        var response = await ClientFor(handler).Health.ServiceAsync("web", passingOnly: false);

        Assert.Equal(HealthStatus.Critical, Assert.Single(response.Value).AggregatedStatus);
        Assert.Equal("/v1/health/service/web", handler.Requests[0].RequestUri!.PathAndQuery);
    }

    [Fact]
    public async Task HealthService_EmptyServiceAddress_FallsBackToNodeAddress()
    {
        var body = ConsulSamples.Read("health-service-passing.json").Replace("\"Address\": \"127.0.0.1\",\n            \"TaggedAddresses\": {\n                \"lan_ipv4\"", "\"Address\": \"\",\n            \"TaggedAddresses\": {\n                \"lan_ipv4\"", StringComparison.Ordinal);
        body = body.Replace("\"Node\": \"vm\",\n            \"Address\": \"127.0.0.1\"", "\"Node\": \"vm\",\n            \"Address\": \"10.1.2.3\"", StringComparison.Ordinal);
        var handler = new ReplayHandler(_ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body) });

        var entry = Assert.Single((await ClientFor(handler).Health.ServiceAsync("web")).Value);

        Assert.Equal("", entry.Service.Address);
        Assert.Equal("10.1.2.3", entry.EffectiveAddress);
    }

    [Fact]
    public async Task HealthChecks_Recorded_ParsesCriticalTtlOutput()
    {
        var handler = new ReplayHandler(_ => ConsulSamples.Response("health-checks-web.json"));

        var check = Assert.Single((await ClientFor(handler).Health.ChecksAsync("web")).Value);

        Assert.Equal(HealthStatus.Critical, check.Status);
        Assert.StartsWith("TTL expired", check.Output, StringComparison.Ordinal);
        Assert.Equal(18ul, check.ModifyIndex);
    }

    [Fact]
    public async Task AgentServicesAndChecks_Recorded_ParseMapsKeyedById()
    {
        var handler = new ReplayHandler(r => ConsulSamples.Response(r.RequestUri!.AbsolutePath.EndsWith("services", StringComparison.Ordinal) ? "agent-services.json" : "agent-checks.json"));
        var client = ClientFor(handler);

        var services = await client.Agent.GetServicesAsync();
        var checks = await client.Agent.GetChecksAsync();

        Assert.Equal(["web-1", "web-2"], services.Keys.Order());
        Assert.Equal(8081, services["web-2"].Port);
        Assert.Equal("dc1", services["web-1"].Datacenter);
        Assert.Empty(services["web-2"].Meta!);
        Assert.Equal("web-1", checks["service:web-1"].ServiceId);
    }

    [Fact]
    public async Task CatalogService_Recorded_ParsesInstances()
    {
        var handler = new ReplayHandler(_ => ConsulSamples.Response("catalog-service-web.json", "catalog-service.headers"));

        var response = await ClientFor(handler).Catalog.ServiceAsync("web");

        Assert.Equal(16ul, response.Index);
        Assert.True(response.KnownLeader);
        Assert.Equal(["web-1", "web-2"], response.Value.Select(s => s.ServiceId));
        Assert.Equal(8081, response.Value[1].ServicePort);
        Assert.Equal("1.0", response.Value[0].ServiceMeta!["version"]);
    }

    [Fact]
    public async Task KV_RecordedResponses_DecodeBase64AndIndexes()
    {
        var handler = new ReplayHandler(r => r.RequestUri!.Query switch
        {
            "?recurse" => ConsulSamples.Response("kv-recurse.json"),
            "?keys" => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(ConsulSamples.ErrorText("kv-keys.json")) },
            _ when r.Method == HttpMethod.Put => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(ConsulSamples.ErrorText("kv-put.resp")) },
            _ when r.RequestUri.Query.Contains("index", StringComparison.Ordinal) => ConsulSamples.Response("kv-blocking.json", "kv-blocking.headers"),
            _ => ConsulSamples.Response("kv-get.json", "kv-get.headers"),
        });
        var kv = ClientFor(handler).KV;

        var get = await kv.GetAsync("app/config/greeting");
        var blocking = await kv.GetAsync("app/config/greeting", ConsulQueryOptions.Blocking(get.Index));
        var list = await kv.ListAsync("app/config");
        var keys = await kv.KeysAsync("app/config");
        var put = await kv.PutAsync("app/config/greeting", "hi"u8.ToArray(), casIndex: 21);

        Assert.Equal(("hello world", 21ul), (Encoding.UTF8.GetString(get.Value!.Value!), get.Index));
        Assert.Equal(("changed", 26ul), (Encoding.UTF8.GetString(blocking.Value!.Value!), blocking.Index));
        Assert.Equal(["hello again", "v2"], list.Value.Select(p => Encoding.UTF8.GetString(p.Value!)));
        Assert.Equal(["app/config/greeting", "app/config/other"], keys.Value);
        Assert.True(put);
        Assert.Equal("/v1/kv/app/config/greeting?cas=21", handler.Requests[^1].RequestUri!.PathAndQuery);
    }

    [Fact]
    public async Task KVGet_MissingKey_ReturnsNullWithIndex()
    {
        var handler = new ReplayHandler(_ =>
        {
            var response = new HttpResponseMessage(HttpStatusCode.NotFound) { Content = new StringContent("") };
            response.Headers.Add("X-Consul-Index", "30");
            return response;
        });

        var result = await ClientFor(handler).KV.GetAsync("missing");

        Assert.Null(result.Value);
        Assert.Equal(30ul, result.Index);
    }

    [Fact]
    public async Task Register_SampleRegistration_SendsBodyConsulAccepted()
    {
        var handler = new ReplayHandler(_ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(ConsulSamples.Read("register.resp")) });
        var registration = new AgentServiceRegistration
        {
            Id = "web-1", Name = "web", Tags = ["v1", "primary"], Address = "127.0.0.1", Port = 8080,
            Meta = new Dictionary<string, string> { ["version"] = "1.0" },
            Check = new AgentServiceCheck { CheckId = "service:web-1", Name = "web TTL", Ttl = TimeSpan.FromSeconds(15), DeregisterCriticalServiceAfter = TimeSpan.FromMinutes(1) },
        };

        await ClientFor(handler).Agent.RegisterServiceAsync(registration);

        Assert.Equal(HttpMethod.Put, handler.Requests[0].Method);
        Assert.Equal("/v1/agent/service/register", handler.Requests[0].RequestUri!.AbsolutePath);
        Assert.Equal(Canonical(ConsulSamples.Read("register-body.json")), Canonical(handler.Bodies[0]!));
    }

    [Theory]
    [InlineData("error-pass-unknown.txt", HttpStatusCode.InternalServerError, true)]
    [InlineData("error-register-badjson.txt", HttpStatusCode.BadRequest, false)]
    public async Task ErrorAnswer_PlainText_SurfacesStatusAndText(string sample, HttpStatusCode status, bool unknownCheck)
    {
        var text = ConsulSamples.ErrorText(sample);
        var handler = new ReplayHandler(_ => new HttpResponseMessage(status) { Content = new StringContent(text) });

        var ex = await Assert.ThrowsAsync<ConsulException>(() => ClientFor(handler, token: "s3cr3t-token").Agent.PassTtlAsync("service:nope"));

        Assert.Equal(status, ex.StatusCode);
        Assert.Equal(text, ex.ResponseText);
        Assert.Contains(text, ex.Message, StringComparison.Ordinal);
        Assert.Equal(unknownCheck, ex.IsUnknownCheckOrService);
        Assert.DoesNotContain("s3cr3t-token", ex.ToString(), StringComparison.Ordinal);
        Assert.Equal("s3cr3t-token", handler.Requests[0].Headers.GetValues("X-Consul-Token").Single());
    }

    [Theory]
    [InlineData(HttpStatusCode.OK)]
    [InlineData(HttpStatusCode.NotFound)]
    public async Task Deregister_UnknownId_Succeeds(HttpStatusCode status)
    {
        var handler = new ReplayHandler(_ => new HttpResponseMessage(status) { Content = new StringContent(status == HttpStatusCode.OK ? "" : "Unknown service ID") });

        await ClientFor(handler).Agent.DeregisterServiceAsync("nope");

        Assert.Equal("/v1/agent/service/deregister/nope", handler.Requests[0].RequestUri!.AbsolutePath);
    }

    private static string Canonical(string json) => JsonSerializer.Serialize(JsonDocument.Parse(json).RootElement);
}
