using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Mesh.Tests.DependencyInjection;

/// <summary>An enum setting with a value that is not one of its names fails at start listing the names it accepts.</summary>
public sealed class MeshEnumBindingTests
{
    public static TheoryData<string> EnumKeys() =>
        [.. MeshOptionKeys.Of(MeshOptionKeys.IsEnumOrEnumList).Select(k => k.Key)];

    private static string ValidationError(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        using var provider = new ServiceCollection().AddLogging().AddMesh(configuration).BuildServiceProvider();
        return Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<MeshOptions>>().Value).Message;
    }

    [Theory]
    [InlineData("Mesh:Registry", "Bogus", "Local, Consul, Static")]
    [InlineData("Mesh:Registration:Check", "Tcp", "Ttl, Http, Grpc")]
    [InlineData("Mesh:Services:orders:Balancing:LoadBalancer", "Random", "PowerOfTwoChoices, RoundRobin")]
    public void Validate_UnknownEnumName_ListsTheValidValues(string key, string value, string names)
    {
        var message = ValidationError(new() { [key] = value });

        Assert.Contains($"{key} must be one of {names} (was '{value}')", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_MisspelledStatusCodeInAList_NamesTheEntryAndTheCodes()
    {
        var message = ValidationError(new()
        {
            ["Mesh:Services:orders:Policy:Retry:RetriableStatusCodes:0"] = "Unavailable",
            ["Mesh:Services:orders:Policy:Retry:RetriableStatusCodes:1"] = "Unavailble",
        });

        Assert.Contains("Mesh:Services:orders:Policy:Retry:RetriableStatusCodes:1 must be one of OK, Cancelled, Unknown,", message, StringComparison.Ordinal);
        Assert.Contains("Unavailable", message, StringComparison.Ordinal);
        Assert.Contains("(was 'Unavailble')", message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(EnumKeys))]
    public void Validate_EveryEnumKey_ListsTheValidValues(string key)
    {
        var isList = MeshOptionKeys.Of(MeshOptionKeys.IsEnumOrEnumList).Single(k => k.Key == key).Key is var k
            && !MeshOptionKeys.Of(t => (Nullable.GetUnderlyingType(t) ?? t).IsEnum).Any(e => e.Key == k);
        var entry = isList ? $"{key}:0" : key;

        var message = ValidationError(new() { [entry] = "NoSuchValue" });

        Assert.Contains($"{entry} must be one of ", message, StringComparison.Ordinal);
        Assert.Contains("(was 'NoSuchValue')", message, StringComparison.Ordinal);
    }
}
