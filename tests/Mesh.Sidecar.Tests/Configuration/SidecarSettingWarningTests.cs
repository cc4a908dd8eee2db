using Mesh.Sidecar.Tests.TestSupport;
using Mesh.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Mesh.Sidecar.Tests.Configuration;

/// <summary>
/// The library warns about keys under <c>Mesh:</c> that no option reads; <c>Mesh:Sidecar</c> is the sidecar's, so its
/// keys are not typos, while a real typo elsewhere under <c>Mesh:</c> is still named.
/// </summary>
public sealed class SidecarSettingWarningTests
{
    [Fact]
    public async Task Build_SidecarKeysAndOneTypo_WarnsOnlyAboutTheTypo()
    {
        var directory = Directory.CreateTempSubdirectory("mesh-sidecar-test-").FullName;
        var settings = RunningSidecar.Defaults(appPort: 5000, directory);
        settings["Mesh:Sidecar:Outbound"] = "http://127.0.0.1:0";
        settings["Mesh:Sidecar:Upstreams:payments"] = "19191";
        settings["Mesh:Registraton:Ttl"] = "15s";
        var logs = new LogCapture();

        await using var app = RunningSidecar.Build(settings, configure: builder => builder.Logging.AddProvider(logs));
        _ = app.Services.GetRequiredService<IOptions<MeshOptions>>().Value;

        var warning = Assert.Single(logs.Entries, entry => entry.Level == LogLevel.Warning);
        Assert.Equal("Mesh:Registraton:Ttl is not a Mesh setting and is ignored; the nearest known key is Mesh:Registration:Ttl", warning.Message);
        Directory.Delete(directory, recursive: true);
    }
}
