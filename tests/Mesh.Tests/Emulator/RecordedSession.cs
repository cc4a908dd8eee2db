using Mesh.Tests.Consul;
using Mesh.Testing.Consul;
using Microsoft.Extensions.Time.Testing;

namespace Mesh.Tests.Emulator;

/// <summary>
/// Replays, against the emulator on a fake clock, the session that produced <c>tests/consul-samples/</c> (see its README):
/// register web-1 with a 15 s TTL, pass it, block, register web-2, let web-1's TTL expire, deregister, then KV and
/// error calls. Each answer is kept under the sample file name it corresponds to.
/// </summary>
public sealed class RecordedSession : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 5, 58, 30, TimeSpan.Zero));
    private readonly Dictionary<string, RecordedAnswer> _answers = new(StringComparer.Ordinal);
    private ConsulEmulator _consul = null!;
    private HttpClient _http = null!;

    internal RecordedAnswer this[string sample] => _answers[sample];

    public async Task InitializeAsync()
    {
        _consul = await ConsulEmulator.StartNewAsync(new ConsulEmulatorOptions { TimeProvider = _time });
        _http = new HttpClient { BaseAddress = _consul.Address };

        await PutAsync("register.resp", "v1/agent/service/register", ConsulSamples.Read("register-body.json"));
        await GetAsync("health-service-passing-before.json", "v1/health/service/web?passing");
        await GetAsync("health-service-all-critical.json", "v1/health/service/web", "health-critical.headers");
        await PutAsync("pass.resp", "v1/agent/check/pass/service:web-1?note=all%20good");
        var passing = await GetAsync("health-service-passing.json", "v1/health/service/web?passing", "health-passing.headers");
        await GetAsync("agent-checks.json", "v1/agent/checks");

        var index = passing.Headers["X-Consul-Index"];
        var nochange = _http.GetAsync($"v1/health/service/web?passing&index={index}&wait=5s");
        await _consul.WaitForParkedQueryAsync("web").WaitAsync(Bound);
        _time.Advance(TimeSpan.FromSeconds(5));
        await KeepAsync(["blocking-nochange.json", "blocking-nochange.headers"], nochange);

        var change = _http.GetAsync($"v1/health/service/web?passing&index={index}&wait=5s");
        await _consul.WaitForParkedQueryAsync("web").WaitAsync(Bound);
        await PutAsync(null, "v1/agent/service/register", """{"ID":"web-2","Name":"web","Address":"127.0.0.1","Port":8081}""");
        var changed = await KeepAsync(["blocking-change.json", "blocking-change.headers"], change);
        await GetAsync("agent-services.json", "v1/agent/services");
        await GetAsync("catalog-service-web.json", "v1/catalog/service/web", "catalog-service.headers");

        var expiry = _http.GetAsync($"v1/health/service/web?passing&index={changed.Headers["X-Consul-Index"]}&wait=30s");
        await _consul.WaitForParkedQueryAsync("web").WaitAsync(Bound);
        _time.Advance(TimeSpan.FromSeconds(11)); // web-1 passed 5 s ago with a 15 s TTL
        await KeepAsync(["blocking-ttl-expiry.json", "blocking-ttl-expiry.headers"], expiry);
        await GetAsync("health-checks-web.json", "v1/health/checks/web");

        await PutAsync("dereg.resp", "v1/agent/service/deregister/web-1");
        await PutAsync(null, "v1/agent/service/deregister/web-2");
        await GetAsync("health-service-after-deregister.json", "v1/health/service/web?passing", "health-after-dereg.headers");

        await PutAsync("kv-put.resp", "v1/kv/app/config/greeting", "hello world");
        var kv = await GetAsync("kv-get.json", "v1/kv/app/config/greeting", "kv-get.headers");
        await PutAsync(null, "v1/kv/app/config/greeting", "hello again");
        await PutAsync(null, "v1/kv/app/config/other", "v2");
        await GetAsync("kv-recurse.json", "v1/kv/app/config?recurse");
        await GetAsync("kv-keys.json", "v1/kv/app/config?keys");
        var blockingKv = _http.GetAsync($"v1/kv/app/config/greeting?index={_consul.Index}&wait=5s");
        await _consul.WaitForParkedKeyQueryAsync("app/config/greeting").WaitAsync(Bound);
        await PutAsync(null, "v1/kv/app/config/greeting", "changed");
        await KeepAsync(["kv-blocking.json", "kv-blocking.headers"], blockingKv);

        await PutAsync("error-pass-unknown.txt", "v1/agent/check/pass/service:nope");
        await PutAsync("error-register-badjson.txt", "v1/agent/service/register", """{"ID":"web-1","Name":""");
        await PutAsync("error-deregister-unknown.txt", "v1/agent/service/deregister/nope");
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _consul.DisposeAsync();
    }

    private async Task<RecordedAnswer> GetAsync(string sample, string path, string? headersSample = null) =>
        await KeepAsync(headersSample is null ? [sample] : [sample, headersSample], _http.GetAsync(path));

    private async Task PutAsync(string? sample, string path, string? body = null) =>
        await KeepAsync(sample is null ? [] : [sample], _http.PutAsync(path, body is null ? null : new StringContent(body)));

    private async Task<RecordedAnswer> KeepAsync(string[] samples, Task<HttpResponseMessage> call)
    {
        using var response = await call.WaitAsync(Bound);
        var answer = await RecordedAnswer.FromAsync(response);
        foreach (var sample in samples)
        {
            _answers[sample] = answer;
        }

        return answer;
    }
}
