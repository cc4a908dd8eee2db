using Mesh.DependencyInjection.Internal;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Mesh.Tests.DependencyInjection;

public sealed class MeshOptionsValidationTests
{
    private static MeshOptions Resolve(Dictionary<string, string?> settings, Dictionary<string, string>? environment = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddLogging().AddMesh(configuration);
        services.AddSingleton(new MeshEnvironment(name => environment?.GetValueOrDefault(name)));
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<MeshOptions>>().Value;
    }

    [Theory]
    [InlineData("Mesh:Registration:Ttl", "00:00:00", "Mesh:Registration:Ttl must be greater than zero")]
    [InlineData("Mesh:Registration:Port", "70000", "Mesh:Registration:Port must be between 1 and 65535 (was 70000)")]
    [InlineData("Mesh:Registration:ServiceName", "orders service", "Mesh:Registration:ServiceName must be letters, digits")]
    [InlineData("Mesh:Registration:HealthPath", "healthz", "Mesh:Registration:HealthPath must start with '/'")]
    [InlineData("Mesh:Registration:DrainDelay", "-00:00:01", "Mesh:Registration:DrainDelay must not be negative")]
    [InlineData("Mesh:Consul:BlockingWait", "00:20:00", "Mesh:Consul:BlockingWait must be at most")]
    [InlineData("Mesh:Consul:MaxResponseBytes", "10", "Mesh:Consul:MaxResponseBytes must be at least 1024")]
    [InlineData("Mesh:Consul:CaCertificateFile", "/nonexistent/ca.pem", "Mesh:Consul:CaCertificateFile names a file that does not exist")]
    [InlineData("Mesh:Discovery:MaxErrorBackoff", "00:00:00.1", "Mesh:Discovery:MaxErrorBackoff must be at least Mesh:Discovery:ErrorBackoff")]
    [InlineData("Mesh:Local:PollInterval", "00:00:00", "Mesh:Local:PollInterval must be greater than zero")]
    [InlineData("Mesh:Services:orders:Endpoints:0", "no-port-here", "Mesh:Services:orders:Endpoints:0 must be host:port")]
    [InlineData("Mesh:Services:orders:Policy:Retry:MaxAttempts", "0", "Mesh:Services:orders:Policy:Retry:MaxAttempts must be")]
    [InlineData("Mesh:Services:orders:Balancing:OutlierDetection:MaxEjectionPercent", "150", "Mesh:Services:orders:Balancing:OutlierDetection:MaxEjectionPercent must be")]
    public void Validate_BadValue_MessageNamesTheKey(string key, string value, string expected)
    {
        var ex = Assert.Throws<OptionsValidationException>(() => Resolve(new() { [key] = value }));

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ConsulRegistryWithBadAddress_NamesKey()
    {
        var ex = Assert.Throws<OptionsValidationException>(() => Resolve(new() { ["Mesh:Registry"] = "Consul", ["Mesh:Consul:Address"] = "ftp://consul:21" }));

        Assert.Contains("Mesh:Consul:Address must be host:port or an absolute http(s) URI (was 'ftp://consul:21')", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_BadConsulAddressFromEnvironment_NamesTheVariable()
    {
        var ex = Assert.Throws<OptionsValidationException>(() => Resolve([], new() { ["CONSUL_HTTP_ADDR"] = "unix:///var/run/consul.sock" }));

        Assert.Contains("CONSUL_HTTP_ADDR must be host:port", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bind_UnknownRegistry_NamesKeyAndTheRegistries()
    {
        var ex = Assert.Throws<OptionsValidationException>(() => Resolve(new() { ["Mesh:Registry"] = "Zookeeper" }));

        Assert.Contains("Mesh:Registry must be one of Local, Consul, Static (was 'Zookeeper')", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_TokenNeverInMessages()
    {
        var ex = Assert.Throws<OptionsValidationException>(() => Resolve(new()
        {
            ["Mesh:Consul:Token"] = "super-secret-token",
            ["Mesh:Consul:RequestTimeout"] = "00:00:00",
        }));

        Assert.DoesNotContain("super-secret-token", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_NothingConfigured_DefaultsAreValid()
    {
        var options = Resolve([]);

        Assert.Null(options.Registry);
        Assert.Equal(TimeSpan.FromSeconds(15), options.Registration.Ttl);
    }

    [Fact]
    public void RegistrySelector_ConsulAddressInEnvironment_PicksConsul()
    {
        Assert.Equal(RegistryKind.Consul, RegistrySelector.Resolve(new MeshOptions(), new MeshEnvironment(n => n == "CONSUL_HTTP_ADDR" ? "127.0.0.1:8500" : null)));
        Assert.Equal(RegistryKind.Local, RegistrySelector.Resolve(new MeshOptions(), new MeshEnvironment(_ => null)));
        Assert.Equal(RegistryKind.Static, RegistrySelector.Resolve(new MeshOptions { Registry = RegistryKind.Static }, new MeshEnvironment(n => "x")));
    }
}
