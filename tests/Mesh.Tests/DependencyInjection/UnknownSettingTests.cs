using Mesh.Tests.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Mesh.Tests.DependencyInjection;

/// <summary>A key under <c>Mesh:</c> that no option reads is a typo: a warning at start names it and the nearest real key.</summary>
public sealed class UnknownSettingTests
{
    private static IReadOnlyList<LogCapture.Entry> Warnings(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var logs = new LogCapture();
        using var provider = new ServiceCollection()
            .AddLogging(logging => logging.AddProvider(logs))
            .AddMesh(configuration)
            .BuildServiceProvider();
        _ = provider.GetRequiredService<IOptions<MeshOptions>>().Value;
        return [.. logs.Entries.Where(e => e.Level == LogLevel.Warning)];
    }

    [Theory]
    [InlineData("Mesh:Registraton:Ttl", "Mesh:Registration:Ttl")]
    [InlineData("Mesh:Registration:Tll", "Mesh:Registration:Ttl")]
    [InlineData("Mesh:Services:orders:Polcy:Timeout", "Mesh:Services:orders:Policy:Timeout")]
    [InlineData("Mesh:Services:orders:Policy:Retry:MaxAttempt", "Mesh:Services:orders:Policy:Retry:MaxAttempts")]
    [InlineData("Mesh:Consul:Adress", "Mesh:Consul:Address")]
    public void Start_KeyNothingReads_WarnsWithTheNearestKnownKey(string typo, string nearest)
    {
        var warnings = Warnings(new() { [typo] = "15s" });

        var warning = Assert.Single(warnings);
        Assert.Equal($"{typo} is not a Mesh setting and is ignored; the nearest known key is {nearest}", warning.Message);
    }

    [Fact]
    public void Start_OnlyKnownKeys_NoWarning()
    {
        var warnings = Warnings(new()
        {
            ["Mesh:Registry"] = "Static",
            ["Mesh:Registration:ServiceName"] = "orders",
            ["Mesh:Registration:Tags:0"] = "v1",
            ["Mesh:Registration:Meta:team"] = "payments",
            ["Mesh:Services:billing:Endpoints:0"] = "127.0.0.1:5001",
            ["Mesh:Services:billing:Policy:Retry:RetriableStatusCodes:0"] = "Unavailable",
            ["Mesh:Services:billing:Policy:Methods:billing.v1.Billing/Charge:Idempotent"] = "true",
            ["Mesh:Services:billing:Balancing:OutlierDetection:ConsecutiveFailures"] = "3",
            ["Mesh:Consul:Address"] = "127.0.0.1:8500",
        });

        Assert.Empty(warnings);
    }
}
