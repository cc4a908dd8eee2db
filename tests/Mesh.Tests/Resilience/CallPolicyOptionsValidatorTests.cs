using Grpc.Core;
using Mesh.Resilience;
using Mesh.Resilience.Internal;

namespace Mesh.Tests.Resilience;

public sealed class CallPolicyOptionsValidatorTests
{
    private const string Prefix = "Mesh:Services:orders:Policy";

    [Fact]
    public void Validate_Defaults_AreValid()
    {
        Assert.Empty(Validate(new CallPolicyOptions()));
    }

    [Fact]
    public void Validate_BadValues_NameEachKey()
    {
        var options = new CallPolicyOptions { Timeout = TimeSpan.FromSeconds(-1) };
        options.Retry.MaxAttempts = 0;
        options.Retry.InitialBackoff = TimeSpan.FromSeconds(2);
        options.Retry.RetriableStatusCodes = [StatusCode.OK];
        options.Budget.RetryRatio = 1.5;
        options.Budget.Ttl = TimeSpan.FromMinutes(5);
        options.Hedging.MaxAttempts = 1;
        options.CircuitBreaker.FailureRatio = 0;
        options.CircuitBreaker.MinimumThroughput = 1;
        options.CircuitBreaker.BreakDuration = TimeSpan.FromMilliseconds(10);

        var errors = Validate(options);

        Assert.Equal(
            [
                "Mesh:Services:orders:Policy:Timeout must not be negative; 00:00:00 means none (was -00:00:01).",
                "Mesh:Services:orders:Policy:Retry:MaxAttempts must be between 1 and 10 (was 0).",
                "Mesh:Services:orders:Policy:Retry:MaxBackoff must be at least Mesh:Services:orders:Policy:Retry:InitialBackoff (00:00:02) (was 00:00:01).",
                "Mesh:Services:orders:Policy:Retry:RetriableStatusCodes must list gRPC error statuses other than OK and Cancelled (was OK).",
                "Mesh:Services:orders:Policy:Budget:RetryRatio must be between 0 and 1 (was 1.5).",
                "Mesh:Services:orders:Policy:Budget:Ttl must be between 00:00:01 and 00:01:00 (was 00:05:00).",
                "Mesh:Services:orders:Policy:Hedging:MaxAttempts must be between 2 and 10 (was 1).",
                "Mesh:Services:orders:Policy:CircuitBreaker:FailureRatio must be greater than 0 and at most 1 (was 0).",
                "Mesh:Services:orders:Policy:CircuitBreaker:MinimumThroughput must be at least 2 (was 1).",
                "Mesh:Services:orders:Policy:CircuitBreaker:BreakDuration must be at least 00:00:00.5000000 (was 00:00:00.0100000).",
            ],
            errors);
    }

    [Fact]
    public void Validate_MethodEntries_NameTheMethodKey()
    {
        var options = new CallPolicyOptions();
        options.Methods["orders.Orders"] = new MethodPolicyOptions();
        options.Methods["orders.Orders/Get"] = new MethodPolicyOptions { Timeout = TimeSpan.FromSeconds(-2) };
        options.Methods["orders.Orders/Get"].Retry.MaxAttempts = 11;
        options.Methods["orders.Orders/*"] = new MethodPolicyOptions();
        options.Methods["orders.Orders/*"].Retry.MaxBackoff = TimeSpan.FromMilliseconds(1);

        var errors = Validate(options);

        Assert.Equal(
            [
                "Mesh:Services:orders:Policy:Methods:orders.Orders must be named package.Service/Method or package.Service/* (was 'orders.Orders').",
                "Mesh:Services:orders:Policy:Methods:orders.Orders/Get:Timeout must not be negative; 00:00:00 means none (was -00:00:02).",
                "Mesh:Services:orders:Policy:Methods:orders.Orders/Get:Retry:MaxAttempts must be between 1 and 10 (was 11).",
                "Mesh:Services:orders:Policy:Methods:orders.Orders/*:Retry:MaxBackoff must be at least the InitialBackoff (00:00:00.0500000) (was 00:00:00.0010000).",
            ],
            errors);
    }

    [Fact]
    public void ServiceCallPolicy_InvalidOptions_ThrowsWithTheMessages()
    {
        var options = new CallPolicyOptions();
        options.Retry.MaxAttempts = 0;

        var error = Assert.Throws<ArgumentException>(() => new ServiceCallPolicy("orders", options));

        Assert.Contains("Mesh:Services:orders:Policy:Retry:MaxAttempts must be between 1 and 10 (was 0).", error.Message, StringComparison.Ordinal);
    }

    private static List<string> Validate(CallPolicyOptions options)
    {
        var errors = new List<string>();
        CallPolicyOptionsValidator.Validate(Prefix, options, errors);
        return errors;
    }
}
