using Mesh.Discovery;

namespace Mesh.Registries.Local.Internal;

/// <summary>The status words of a <see cref="LocalEntry"/>, the same as Consul's so the files read alike.</summary>
internal static class LocalStatus
{
    public const string Passing = "passing";
    public const string Warning = "warning";
    public const string Critical = "critical";

    public static string From(EndpointHealth health) => health switch
    {
        EndpointHealth.Passing => Passing,
        EndpointHealth.Warning => Warning,
        _ => Critical,
    };

    /// <summary>Maps a status word; anything unknown counts as critical so a damaged file never attracts traffic.</summary>
    public static EndpointHealth ToHealth(string? status) => status switch
    {
        Passing => EndpointHealth.Passing,
        Warning => EndpointHealth.Warning,
        _ => EndpointHealth.Critical,
    };
}
