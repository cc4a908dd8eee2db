using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace Mesh.Tests.Packaging;

/// <summary>
/// The package the way users take it: an app outside the solution, a PackageReference to the packed Mesh restored
/// from a local folder feed, built and run; it registers, discovers and calls itself through the package.
/// </summary>
[Collection(PackagingTestGroup.Name)]
public sealed partial class PackageConsumptionTests(PackedMeshPackage package, ITestOutputHelper output)
{
    [PackageFact]
    public async Task PackageReference_AppOutsideTheSolution_RegistersDiscoversAndCallsItself()
    {
        using var _ = package.OpenPackage();
        var app = await ConsumerApp.CreateAsync(package);

        var build = await app.BuildAsync();
        output.WriteLine($"restore + build took {build.Elapsed.TotalSeconds:F1} s");
        Assert.True(build.ExitCode == 0, $"the consumer app did not build against Mesh {package.Version}:\n{build.Output}");

        var run = await app.RunAsync();
        output.WriteLine($"run took {run.Elapsed.TotalSeconds:F1} s");
        output.WriteLine(run.Output);
        Assert.True(run.ExitCode == 0, $"the consumer app failed:\n{run.Output}");

        // The call went to the instance discovery found (itself), and the clean stop deregistered it.
        var discovered = Discovered().Match(run.Output);
        var reply = Reply().Match(run.Output);
        Assert.True(discovered.Success && reply.Success, run.Output);
        Assert.Equal(discovered.Groups["port"].Value, reply.Groups["port"].Value);
        Assert.Contains("stopped", run.Output, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(app.RegistryDirectory, "*.json", SearchOption.AllDirectories));

        // Mesh came from the feed into the app's own packages folder; the machine's cache never saw this version.
        Assert.True(Directory.Exists(Path.Combine(app.PackagesFolder, "mesh", package.Version)), "Mesh was not restored from the feed");
    }

    [GeneratedRegex(@"^discovered: 127\.0\.0\.1:(?<port>[0-9]+)\r?$", RegexOptions.Multiline)]
    private static partial Regex Discovered();

    [GeneratedRegex(@"^reply: hello package \(port (?<port>[0-9]+)\)\r?$", RegexOptions.Multiline)]
    private static partial Regex Reply();
}
