using System.Net;
using Mesh.Tests.Consul;

namespace Mesh.Tests.Emulator;

/// <summary>
/// Keeps the emulator honest: every answer it gives in the replayed session has the shape of the real agent's
/// recorded answer (same property names at every level, same kinds of values), the same headers and the same errors.
/// </summary>
public sealed class EmulatorSampleParityTests(RecordedSession session) : IClassFixture<RecordedSession>
{
    [Theory]
    [InlineData("health-service-passing-before.json")]
    [InlineData("health-service-all-critical.json")]
    [InlineData("health-service-passing.json")]
    [InlineData("blocking-nochange.json")]
    [InlineData("blocking-change.json")]
    [InlineData("blocking-ttl-expiry.json")]
    [InlineData("health-service-after-deregister.json")]
    [InlineData("health-checks-web.json")]
    [InlineData("agent-services.json")]
    [InlineData("agent-checks.json")]
    [InlineData("catalog-service-web.json")]
    [InlineData("kv-get.json")]
    [InlineData("kv-recurse.json")]
    [InlineData("kv-keys.json")]
    [InlineData("kv-blocking.json")]
    public void JsonAnswer_SameShapeAsRecorded(string sample)
    {
        var answer = session[sample];

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal("application/json", answer.Headers["Content-Type"]);
        JsonShape.AssertSame(ConsulSamples.ErrorText(sample), answer.Body);
    }

    [Theory]
    [InlineData("health-critical.headers")]
    [InlineData("health-passing.headers")]
    [InlineData("blocking-nochange.headers")]
    [InlineData("blocking-change.headers")]
    [InlineData("blocking-ttl-expiry.headers")]
    [InlineData("health-after-dereg.headers")]
    [InlineData("catalog-service.headers")]
    [InlineData("kv-get.headers")]
    [InlineData("kv-blocking.headers")]
    public void Headers_CarryEveryConsulHeaderRecorded(string sample)
    {
        var recorded = ConsulSamples.Read(sample).Split('\n').Skip(1)
            .Select(line => line.Split(':', 2)[0].Trim())
            .Where(name => name.StartsWith("X-Consul-", StringComparison.OrdinalIgnoreCase) || name == "Vary")
            .ToList();
        var answer = session[sample];

        Assert.NotEmpty(recorded);
        Assert.All(recorded, name => Assert.True(answer.Headers.ContainsKey(name), $"{name} missing from the emulator's answer"));
        Assert.True(ulong.Parse(answer.Headers["X-Consul-Index"], System.Globalization.CultureInfo.InvariantCulture) > 0);
    }

    [Theory]
    [InlineData("register.resp", HttpStatusCode.OK)]
    [InlineData("pass.resp", HttpStatusCode.OK)]
    [InlineData("dereg.resp", HttpStatusCode.OK)]
    [InlineData("kv-put.resp", HttpStatusCode.OK)]
    [InlineData("error-pass-unknown.txt", HttpStatusCode.InternalServerError)]
    [InlineData("error-register-badjson.txt", HttpStatusCode.BadRequest)]
    [InlineData("error-deregister-unknown.txt", HttpStatusCode.OK)]
    public void PlainAnswer_SameStatusAndTextAsRecorded(string sample, HttpStatusCode status)
    {
        var answer = session[sample];

        Assert.Equal(status, answer.Status);
        Assert.Equal(ConsulSamples.ErrorText(sample), answer.Body);
    }

    [Fact]
    public void Indexes_MoveAsInTheRecordedSession()
    {
        // A fresh dev agent: node at 11/13, web-1 registered at 14, passed at 15, web-2 at 16 (as recorded).
        Assert.Equal("14", session["health-critical.headers"].Headers["X-Consul-Index"]);
        Assert.Equal("15", session["health-passing.headers"].Headers["X-Consul-Index"]);
        Assert.Equal("15", session["blocking-nochange.headers"].Headers["X-Consul-Index"]);
        Assert.Equal("16", session["blocking-change.headers"].Headers["X-Consul-Index"]);
        Assert.Contains("TTL expired (last output before timeout follows): all good", session["health-checks-web.json"].Body, StringComparison.Ordinal);
    }
}
