using Mesh.DependencyInjection.Internal;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Mesh.Tests.DependencyInjection;

/// <summary>Durations in configuration: Consul's syntax, TimeSpan's, no bare numbers, an upper bound on each.</summary>
public sealed class MeshDurationBindingTests
{
    public static TheoryData<string> DurationKeys() => [.. MeshOptionKeys.Of(MeshOptionKeys.IsDuration).Select(k => k.Key)];

    private static ServiceProvider Provider(IConfiguration configuration, Dictionary<string, string>? environment = null)
    {
        var services = new ServiceCollection().AddLogging().AddMesh(configuration);
        services.AddSingleton(new MeshEnvironment(name => environment?.GetValueOrDefault(name)));
        return services.BuildServiceProvider();
    }

    private static IConfigurationRoot Configuration(Dictionary<string, string?> settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build();

    /// <summary>Binds without validating, so one key's value can be read even when it breaks a cross-field rule.</summary>
    private static MeshOptions BindOnly(Dictionary<string, string?> settings)
    {
        using var provider = Provider(Configuration(settings));
        var options = new MeshOptions();
        foreach (var configure in provider.GetServices<IConfigureOptions<MeshOptions>>())
        {
            configure.Configure(options);
        }

        return options;
    }

    private static string ValidationError(Dictionary<string, string?> settings)
    {
        using var provider = Provider(Configuration(settings));
        return Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<MeshOptions>>().Value).Message;
    }

    [Theory]
    [InlineData("15s", 15_000)]
    [InlineData("500ms", 500)]
    [InlineData("1m30s", 90_000)]
    [InlineData("2h", 7_200_000)]
    [InlineData("1.5m", 90_000)]
    [InlineData("00:00:15", 15_000)]
    [InlineData("00:01:30", 90_000)]
    public void Bind_RegistrationTtl_AcceptsConsulAndTimeSpanSyntax(string text, int milliseconds)
    {
        var options = BindOnly(new() { ["Mesh:Registration:Ttl"] = text });

        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), options.Registration.Ttl);
    }

    [Theory]
    [MemberData(nameof(DurationKeys))]
    public void Bind_EveryDurationKey_ReadsConsulSyntax(string key)
    {
        var options = BindOnly(new() { [key] = "1m30s" });

        var read = MeshOptionKeys.Of(MeshOptionKeys.IsDuration).Single(k => k.Key == key).Read;
        Assert.Equal(TimeSpan.FromSeconds(90), (TimeSpan?)read(options));
    }

    [Theory]
    [MemberData(nameof(DurationKeys))]
    public void Validate_EveryDurationKey_BareNumberRejectedShowingBothForms(string key)
    {
        var message = ValidationError(new() { [key] = "15" });

        Assert.Contains($"{key} is '15', a number without a unit", message, StringComparison.Ordinal);
        Assert.Contains("'15s'", message, StringComparison.Ordinal);
        Assert.Contains("'00:00:15'", message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(DurationKeys))]
    public void Validate_EveryDurationKey_HasAnUpperBound(string key)
    {
        var message = ValidationError(new() { [key] = "1000h" });

        Assert.Matches($"{System.Text.RegularExpressions.Regex.Escape(key)} must be at most [0-9]+(ms|s|m|h)\\b", message);
    }

    [Fact]
    public void Validate_RegistrationTtlOfFifteenDays_RejectedWithTheBound()
    {
        var message = ValidationError(new() { ["Mesh:Registration:Ttl"] = "15.00:00:00" });

        Assert.Contains("Mesh:Registration:Ttl must be at most 1h (was 15.00:00:00)", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("15 s")]
    [InlineData("15sec")]
    [InlineData("fast")]
    [InlineData("1d")]
    public void Validate_NotADuration_NamesTheKeyAndTheForms(string text)
    {
        var message = ValidationError(new() { ["Mesh:Registration:Ttl"] = text });

        Assert.Contains($"Mesh:Registration:Ttl must be a duration such as '15s', '500ms', '1m30s' or '2h', or a TimeSpan such as '00:00:15' (was '{text}')", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reload_NewDuration_IsBoundThroughTheSameParser()
    {
        var configuration = Configuration(new() { ["Mesh:Registration:Ttl"] = "20s" });
        using var provider = Provider(configuration);
        var monitor = provider.GetRequiredService<IOptionsMonitor<MeshOptions>>();
        Assert.Equal(TimeSpan.FromSeconds(20), monitor.CurrentValue.Registration.Ttl);

        configuration.Providers.Single().Set("Mesh:Registration:Ttl", "1m15s");
        configuration.Reload();

        Assert.Equal(TimeSpan.FromSeconds(75), monitor.CurrentValue.Registration.Ttl);
    }
}
