using Mesh.Sidecar.Configuration;

namespace Mesh.Sidecar.Tests.Configuration;

public sealed class SidecarArgumentsTests
{
    [Fact]
    public void Parse_ShortFlags_BecomeConfigurationKeys()
    {
        var parsed = SidecarArguments.Parse(["--service", "orders", "--app-port", "5000", "--upstream", "payments=9191", "--upstream=stock=9292"]);

        Assert.Null(parsed.Error);
        Assert.Equal(
            ["--Mesh:Registration:ServiceName=orders", "--Mesh:Sidecar:AppPort=5000", "--Mesh:Sidecar:Upstreams:payments=9191", "--Mesh:Sidecar:Upstreams:stock=9292"],
            parsed.ConfigurationArgs);
    }

    [Fact]
    public void Parse_EqualsFormAndOtherArguments_PassThrough()
    {
        var parsed = SidecarArguments.Parse(["--service=orders", "--Mesh:Sidecar:Inbound=http://0.0.0.0:9000", "--Mesh:Registry", "Consul"]);

        Assert.Equal(["--Mesh:Registration:ServiceName=orders", "--Mesh:Sidecar:Inbound=http://0.0.0.0:9000", "--Mesh:Registry", "Consul"], parsed.ConfigurationArgs);
    }

    [Theory]
    [InlineData("payments", "--upstream expects name=port, such as --upstream payments=9191; got 'payments'.")]
    [InlineData("=9191", "--upstream expects name=port, such as --upstream payments=9191; got '=9191'.")]
    [InlineData("payments=", "--upstream expects name=port, such as --upstream payments=9191; got 'payments='.")]
    public void Parse_MalformedUpstream_SaysTheExpectedForm(string value, string error)
    {
        Assert.Equal(error, SidecarArguments.Parse(["--upstream", value]).Error);
    }

    [Fact]
    public void Parse_FlagWithoutValue_IsAnError()
    {
        Assert.Equal("--app-port needs a value.", SidecarArguments.Parse(["--service", "orders", "--app-port"]).Error);
        Assert.Equal("--service needs a value.", SidecarArguments.Parse(["--service", "--app-port", "5000"]).Error);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    public void Parse_Help_AsksForHelp(string flag)
    {
        Assert.True(SidecarArguments.Parse(["--app-port", "5000", flag]).ShowHelp);
    }
}
