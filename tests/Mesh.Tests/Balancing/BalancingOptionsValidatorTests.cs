using Grpc.Core;
using Mesh.Balancing;

namespace Mesh.Tests.Balancing;

public sealed class BalancingOptionsValidatorTests
{
    private const string Prefix = "Mesh:Services:orders:Balancing";

    [Fact]
    public void Validate_Defaults_AreValid()
    {
        var errors = new List<string>();

        BalancingOptionsValidator.Validate(Prefix, new BalancingOptions(), errors);

        Assert.Empty(errors);
    }

    [Fact]
    public void Validate_MaxEjectionPercentOutOfRange_NamesTheKey()
    {
        var options = new BalancingOptions();
        options.OutlierDetection.MaxEjectionPercent = 150;
        var errors = new List<string>();

        BalancingOptionsValidator.Validate(Prefix, options, errors);

        Assert.Equal(["Mesh:Services:orders:Balancing:OutlierDetection:MaxEjectionPercent must be between 0 and 100 (was 150)."], errors);
    }

    [Fact]
    public void Validate_EveryBadSetting_IsReportedWithItsKey()
    {
        var options = new BalancingOptions
        {
            LoadBalancer = (LoadBalancerKind)7,
            PreferTag = " ",
            ResolveTimeout = TimeSpan.Zero,
        };
        options.OutlierDetection.ConsecutiveFailures = 0;
        options.OutlierDetection.FailureRateThreshold = 1.5;
        options.OutlierDetection.FailureRateMinimumCalls = 0;
        options.OutlierDetection.FailureRateInterval = TimeSpan.Zero;
        options.OutlierDetection.BaseEjectionTime = TimeSpan.FromMinutes(10);
        options.OutlierDetection.FailureStatusCodes = [StatusCode.Unavailable, StatusCode.OK];
        var errors = new List<string>();

        BalancingOptionsValidator.Validate(Prefix, options, errors);

        string[] keys =
        [
            "LoadBalancer", "PreferTag", "ResolveTimeout", "OutlierDetection:ConsecutiveFailures", "OutlierDetection:FailureRateThreshold",
            "OutlierDetection:FailureRateMinimumCalls", "OutlierDetection:FailureRateInterval", "OutlierDetection:MaxEjectionTime",
            "OutlierDetection:FailureStatusCodes:1",
        ];
        Assert.Equal(keys.Length, errors.Count);
        Assert.All(keys.Zip(errors), pair => Assert.StartsWith($"{Prefix}:{pair.First} ", pair.Second, StringComparison.Ordinal));
    }
}
