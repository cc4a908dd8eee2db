using Mesh.Sidecar.Configuration;
using Mesh.Sidecar.Configuration.Internal;
using Microsoft.Extensions.Configuration;

namespace Mesh.Sidecar.Tests.Configuration;

/// <summary>The sidecar's durations take the same forms as the library's (<c>15s</c>, <c>500ms</c>, <c>00:00:15</c>).</summary>
public sealed class SidecarDurationTests
{
    [Fact]
    public void Durations_InGoSyntax_AreRead()
    {
        var options = Read(new()
        {
            ["Mesh:Sidecar:Probe:Interval"] = "1s",
            ["Mesh:Sidecar:Probe:Timeout"] = "500ms",
            ["Mesh:Sidecar:IdleTimeout"] = "2m30s",
        });

        Assert.Empty(options.ReadErrors);
        Assert.Equal(TimeSpan.FromSeconds(1), options.Probe.Interval);
        Assert.Equal(TimeSpan.FromMilliseconds(500), options.Probe.Timeout);
        Assert.Equal(TimeSpan.FromSeconds(150), options.IdleTimeout);
    }

    [Fact]
    public void Durations_AsTimeSpan_AreStillRead()
    {
        var options = Read(new() { ["Mesh:Sidecar:Probe:Interval"] = "00:00:02" });

        Assert.Equal(TimeSpan.FromSeconds(2), options.Probe.Interval);
    }

    [Fact]
    public void Duration_BareNumber_IsRefusedWithTheUnitToAdd()
    {
        var options = Read(new() { ["Mesh:Sidecar:Probe:Interval"] = "5" });

        var error = Assert.Single(options.ReadErrors);
        Assert.StartsWith("Mesh:Sidecar:Probe:Interval is '5', a number without a unit; write it with one, such as '5s'", error);
    }

    [Fact]
    public void Duration_NotADuration_NamesTheKeyAndTheForms()
    {
        var options = Read(new() { ["Mesh:Sidecar:IdleTimeout"] = "soon" });

        Assert.Equal(
            "Mesh:Sidecar:IdleTimeout must be a duration such as '15s', '500ms', '1m30s' or '2h', or a TimeSpan such as '00:00:15'; got 'soon'.",
            Assert.Single(options.ReadErrors));
    }

    private static SidecarOptions Read(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var options = new SidecarOptions();
        new SidecarOptionsReader(configuration).Configure(options);
        return options;
    }
}
