namespace Mesh.Sidecar.Configuration;

/// <summary>How the sidecar decides whether the app is healthy (<c>Mesh:Sidecar:Probe:Kind</c>).</summary>
internal enum ProbeKind
{
    /// <summary>A TCP connect to the app port succeeds: works for any app.</summary>
    Tcp = 0,

    /// <summary>An HTTP/1.1 GET of <see cref="ProbeOptions.Path"/> answers 2xx or 3xx.</summary>
    Http = 1,

    /// <summary>The standard gRPC health service (<c>grpc.health.v1.Health/Check</c>) answers SERVING.</summary>
    Grpc = 2,
}
