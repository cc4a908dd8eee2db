using System.Net;
using System.Text.Json;
using Mesh.Consul;
using Mesh.Tests.TestSupport;
using Mesh.Testing.Consul;

namespace Mesh.Tests.Emulator;

/// <summary>Consul's defaults, validation answers and query parameters, over raw HTTP.</summary>
public sealed class EmulatorApiTests : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);
    private readonly SignallingTimeProvider _time = new();
    private ConsulEmulator _consul = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _consul = await ConsulEmulator.StartNewAsync(new ConsulEmulatorOptions { TimeProvider = _time });
        _http = new HttpClient { BaseAddress = _consul.Address };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _consul.DisposeAsync();
    }

    private async Task<(HttpStatusCode Status, string Body)> SendAsync(HttpMethod method, string path, string? body = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : new StringContent(body) };
        using var response = await _http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private async Task<JsonElement> GetJsonAsync(string path)
    {
        var (status, body) = await SendAsync(HttpMethod.Get, path);
        Assert.Equal(HttpStatusCode.OK, status);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    [Fact]
    public async Task Register_Defaults_AsConsulFillsThem()
    {
        var body = """
            {"name":"api","port":9000,"checks":[
              {"http":"http://127.0.0.1:9000/healthz","interval":"90s","timeout":"1500ms"},
              {"grpc":"127.0.0.1:9000","interval":"10s","deregister_critical_service_after":"2m"}]}
            """;
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Put, "v1/agent/service/register", body)).Status);

        var checks = await GetJsonAsync("v1/agent/checks");
        var http = checks.GetProperty("service:api:1");
        var grpc = checks.GetProperty("service:api:2");
        Assert.Equal(("Service 'api' check", "http", "1m30s", "1.5s", "critical"),
            (http.GetProperty("Name").GetString(), http.GetProperty("Type").GetString(), http.GetProperty("Interval").GetString(), http.GetProperty("Timeout").GetString(), http.GetProperty("Status").GetString()));
        Assert.Equal(("grpc", "10s", "api"), (grpc.GetProperty("Type").GetString(), grpc.GetProperty("Interval").GetString(), grpc.GetProperty("ServiceID").GetString()));
        var service = (await GetJsonAsync("v1/agent/services")).GetProperty("api");
        Assert.Equal("", service.GetProperty("Address").GetString());
        Assert.False(service.TryGetProperty("TaggedAddresses", out _)); // no address, no default tagged addresses

        Assert.True(_consul.SetCheckStatus("service:api:1", "passing", "HTTP GET: 200 OK"));
        Assert.True(_consul.SetCheckStatus("service:api:2", "passing"));
        Assert.Equal(1, (await GetJsonAsync("v1/health/service/api?passing")).GetArrayLength());
    }

    [Theory]
    [InlineData("""{"Port":1}""", "Missing service name")]
    [InlineData("""{"Name":"a","Check":{"TTL":"10s","Interval":"10s","HTTP":"http://x"}}""", "Invalid check: Interval and TTL cannot both be specified")]
    [InlineData("""{"Name":"a","Check":{"HTTP":"http://x"}}""", "Invalid check: Interval must be > 0 for Script, HTTP, H2PING, or TCP checks")]
    [InlineData("""{"Name":"a","Check":{"Notes":"no kind"}}""", "Invalid check: TTL must be > 0 for TTL checks")]
    [InlineData("""{"Name":"a","Check":{"TTL":"10s","Status":"green"}}""", "Status for checks must 'passing', 'warning', 'critical'")]
    [InlineData("""{"Name":"a","Check":{"TTL":"ten"}}""", "Request decode failed: time: invalid duration \"ten\"")]
    [InlineData("", "Request decode failed: EOF")]
    [InlineData("{\"Name\": x}", "Request decode failed: invalid character 'x' looking for beginning of value")]
    public async Task Register_Invalid_400WithConsulsText(string body, string text)
    {
        Assert.Equal((HttpStatusCode.BadRequest, text), await SendAsync(HttpMethod.Put, "v1/agent/service/register", body));
    }

    [Fact]
    public async Task CheckUpdate_InvalidStatusAndUnknownPaths_AnswerAsConsul()
    {
        _consul.RegisterService("web-1", "web", 8080);

        Assert.Equal((HttpStatusCode.BadRequest, "Invalid check status: 'green'"), await SendAsync(HttpMethod.Put, "v1/agent/check/update/serfHealth", """{"Status":"green"}"""));
        Assert.Equal(HttpStatusCode.InternalServerError, (await SendAsync(HttpMethod.Put, "v1/agent/check/update/serfHealth", """{"Status":"passing"}""")).Status);
        Assert.Equal((HttpStatusCode.MethodNotAllowed, "method GET not allowed"), await SendAsync(HttpMethod.Get, "v1/agent/service/register"));
        Assert.Equal((HttpStatusCode.NotFound, "404 page not found"), await SendAsync(HttpMethod.Get, "v1/agent/unknown"));
        Assert.Equal((HttpStatusCode.BadRequest, "Missing value for enable"), await SendAsync(HttpMethod.Put, "v1/agent/service/maintenance/web-1"));
        Assert.Equal((HttpStatusCode.BadRequest, "Invalid wait time"), await SendAsync(HttpMethod.Get, "v1/health/service/web?index=1&wait=soon"));
    }

    [Theory]
    [InlineData("Service.Port == 8081", "web-2")]
    [InlineData("Service.Meta.zone == east", "web-1")]
    [InlineData("Service.Meta[\"zone\"] != \"east\"", "web-2,web-3")]
    [InlineData("v2 in Service.Tags and not (Service.ID == \"web-3\")", "web-2")]
    [InlineData("Service.Tags contains \"v1\" or Service.Port == 1", "web-1")]
    [InlineData("Service.Meta is empty", "web-3")]
    [InlineData("Service.ID matches \"^web-[12]$\"", "web-1,web-2")]
    [InlineData("Checks.Status != critical", "web-1,web-2")]
    public async Task Filter_Expressions_SelectEntries(string filter, string expected)
    {
        var services = new[] { ("web-1", 8080, "v1", "east"), ("web-2", 8081, "v2", "west"), ("web-3", 8082, "v2", "") };
        foreach (var (id, port, tag, zone) in services)
        {
            var meta = zone.Length > 0 ? $",\"Meta\":{{\"zone\":\"{zone}\"}}" : "";
            await SendAsync(HttpMethod.Put, "v1/agent/service/register",
                $$$"""{"ID":"{{{id}}}","Name":"web","Port":{{{port}}},"Tags":["{{{tag}}}"]{{{meta}}},"Check":{"TTL":"30s","Status":"passing"}}""");
        }

        _consul.SetCheckStatus("service:web-3", "critical");
        var entries = await GetJsonAsync("v1/health/service/web?filter=" + Uri.EscapeDataString(filter));

        Assert.Equal(expected, string.Join(",", entries.EnumerateArray().Select(e => e.GetProperty("Service").GetProperty("ID").GetString())));
    }

    [Theory]
    [InlineData("Service.Port ==")]
    [InlineData("Service.Port > 1")] // go-bexpr has no ordering operators
    [InlineData("(Service.ID == a")]
    public async Task Filter_Invalid_400(string filter)
    {
        var (status, body) = await SendAsync(HttpMethod.Get, "v1/health/service/web?filter=" + Uri.EscapeDataString(filter));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.StartsWith("Failed to create boolean expression evaluator: ", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hang_ClientTimesOutOnItsClock_ThenAnswersOnceCleared()
    {
        var client = new ConsulClient(new HttpClient(), new ConsulClientOptions { Address = _consul.Address.ToString(), RequestTimeout = TimeSpan.FromSeconds(3) }, _time);
        _consul.Fault = EmulatorFault.Hang;

        var call = client.Catalog.ServicesAsync();
        await _consul.WaitForReceivedRequestsAsync("/v1/catalog/services", 1).WaitAsync(Bound);
        await _time.AdvanceWhenScheduledAsync(TimeSpan.FromSeconds(3));
        var ex = await Assert.ThrowsAsync<ConsulException>(() => call.WaitAsync(Bound));
        Assert.Contains("did not answer", ex.Message, StringComparison.Ordinal);

        var hanging = _http.GetAsync("v1/catalog/services");
        _consul.Fault = EmulatorFault.None;
        using var answered = await hanging.WaitAsync(Bound);
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        Assert.Equal(2, _consul.CountRequests("/v1/catalog/services"));
    }

    [Fact]
    public async Task RequiredToken_QueryAndBearerForms_AcceptedAndNeverLogged()
    {
        _consul.RequiredToken = "s3cret-7d21";
        using var bearer = new HttpRequestMessage(HttpMethod.Get, "v1/agent/services");
        bearer.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "s3cret-7d21");

        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Get, "v1/agent/services?pretty&token=s3cret-7d21")).Status);
        Assert.Equal(HttpStatusCode.OK, (await _http.SendAsync(bearer)).StatusCode);
        Assert.Equal((HttpStatusCode.Forbidden, "ACL not found"), await SendAsync(HttpMethod.Get, "v1/agent/services?token=other"));
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Get, "v1/status/leader")).Status); // status needs no token

        Assert.All(_consul.Requests, r => Assert.DoesNotContain("s3cret", r.ToString(), StringComparison.Ordinal));
        Assert.Equal("?pretty&token=redacted", _consul.Requests[0].Query);
    }

    [Fact]
    public async Task FaultPathPrefix_OnlyThosePathsFail()
    {
        _consul.Fault = EmulatorFault.Unavailable;
        _consul.FaultPathPrefix = "/v1/health/";

        Assert.Equal((HttpStatusCode.InternalServerError, "No cluster leader"), await SendAsync(HttpMethod.Get, "v1/health/service/web"));
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Get, "v1/catalog/services")).Status);
    }
}
