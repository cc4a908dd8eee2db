using System.Diagnostics;

namespace Mesh.Demo;

/// <summary>Starts this same program in another role (a greeter instance, the plain HTTP app).</summary>
internal static class SelfCommand
{
    public static ProcessStartInfo Create(params string[] args)
    {
        // Through its app host when there is one, else through `dotnet <dll>`.
        var self = Environment.ProcessPath!;
        var start = new ProcessStartInfo(self);
        if (Path.GetFileNameWithoutExtension(self).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            start.ArgumentList.Add(typeof(SelfCommand).Assembly.Location);
        }

        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return start;
    }
}
