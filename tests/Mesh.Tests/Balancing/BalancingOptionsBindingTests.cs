using Grpc.Core;
using Mesh.Balancing;
using Microsoft.Extensions.Configuration;

namespace Mesh.Tests.Balancing;

public sealed class BalancingOptionsBindingTests
{
    [Fact]
    public void Bind_FromConfiguration_ReadsEverySetting()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Mesh:Services:orders:Balancing:LoadBalancer"] = "RoundRobin",
            ["Mesh:Services:orders:Balancing:PreferTag"] = "zone-a",
            ["Mesh:Services:orders:Balancing:ResolveTimeout"] = "00:00:02",
            ["Mesh:Services:orders:Balancing:OutlierDetection:Enabled"] = "false",
            ["Mesh:Services:orders:Balancing:OutlierDetection:MaxEjectionPercent"] = "20",
            ["Mesh:Services:orders:Balancing:OutlierDetection:BaseEjectionTime"] = "00:00:10",
            ["Mesh:Services:orders:Balancing:OutlierDetection:FailureStatusCodes:0"] = "Unavailable",
            ["Mesh:Services:orders:Balancing:OutlierDetection:FailureStatusCodes:1"] = "ResourceExhausted",
        }).Build();
        var options = new BalancingOptions();

        configuration.GetSection("Mesh:Services:orders:Balancing").Bind(options);

        Assert.Equal(LoadBalancerKind.RoundRobin, options.LoadBalancer);
        Assert.Equal("zone-a", options.PreferTag);
        Assert.Equal(TimeSpan.FromSeconds(2), options.ResolveTimeout);
        Assert.False(options.OutlierDetection.Enabled);
        Assert.Equal(20, options.OutlierDetection.MaxEjectionPercent);
        Assert.Equal(TimeSpan.FromSeconds(10), options.OutlierDetection.BaseEjectionTime);
        Assert.Equal([StatusCode.Unavailable, StatusCode.ResourceExhausted], options.OutlierDetection.FailureStatusCodes);
    }

    [Fact]
    public void Bind_NothingConfigured_KeepsTheDefaults()
    {
        var options = new BalancingOptions();

        new ConfigurationBuilder().Build().GetSection("Mesh:Services:orders:Balancing").Bind(options);

        Assert.Equal(LoadBalancerKind.PowerOfTwoChoices, options.LoadBalancer);
        Assert.Equal(TimeSpan.FromSeconds(5), options.ResolveTimeout);
        Assert.True(options.OutlierDetection.Enabled);
        Assert.Null(options.OutlierDetection.FailureStatusCodes); // BalancingDefaults.FailureStatusCodes apply
    }
}
