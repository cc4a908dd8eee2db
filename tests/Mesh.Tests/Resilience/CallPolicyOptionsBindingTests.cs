using Grpc.Core;
using Mesh.Resilience;
using Microsoft.Extensions.Configuration;

namespace Mesh.Tests.Resilience;

public sealed class CallPolicyOptionsBindingTests
{
    [Fact]
    public void Bind_PolicySection_ReadsEveryDocumentedKey()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Mesh:Services:orders:Policy:Timeout"] = "00:00:05",
            ["Mesh:Services:orders:Policy:StreamingTimeout"] = "00:10:00",
            ["Mesh:Services:orders:Policy:Retry:MaxAttempts"] = "4",
            ["Mesh:Services:orders:Policy:Retry:RetriableStatusCodes:0"] = "ResourceExhausted",
            ["Mesh:Services:orders:Policy:Budget:RetryRatio"] = "0.1",
            ["Mesh:Services:orders:Policy:Hedging:Enabled"] = "true",
            ["Mesh:Services:orders:Policy:CircuitBreaker:BreakDuration"] = "00:00:30",
            ["Mesh:Services:orders:Policy:Methods:orders.Orders/Get:Idempotent"] = "true",
            ["Mesh:Services:orders:Policy:Methods:orders.Orders/Get:Timeout"] = "00:00:00",
            ["Mesh:Services:orders:Policy:Methods:orders.Orders/*:Retry:MaxAttempts"] = "2",
        }).Build();
        var options = new CallPolicyOptions();

        configuration.GetSection("Mesh:Services:orders:Policy").Bind(options);

        Assert.Equal(TimeSpan.FromSeconds(5), options.Timeout);
        Assert.Equal(TimeSpan.FromMinutes(10), options.StreamingTimeout);
        Assert.Equal(4, options.Retry.MaxAttempts);

        // A configured list replaces the default instead of appending to it.
        Assert.Equal([StatusCode.ResourceExhausted], options.Retry.RetriableStatusCodes);
        Assert.Equal(0.1, options.Budget.RetryRatio);
        Assert.True(options.Hedging.Enabled);
        Assert.Equal(TimeSpan.FromSeconds(30), options.CircuitBreaker.BreakDuration);
        Assert.True(options.Methods["orders.Orders/Get"].Idempotent);
        Assert.Equal(TimeSpan.Zero, options.Methods["orders.Orders/Get"].Timeout);
        Assert.Equal(2, options.Methods["orders.Orders/*"].Retry.MaxAttempts);
    }
}
