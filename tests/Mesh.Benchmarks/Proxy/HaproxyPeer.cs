namespace Mesh.Benchmarks.Proxy;

/// <summary>
/// haproxy as its users would set it up for this machine: <c>nbthread 2</c> (the cores), <c>http-reuse always</c>,
/// h2 on the gRPC listener and to the gRPC backend (<c>proto h2</c>), HTTP/1.1 keepalive for HTTP.
/// </summary>
internal static class HaproxyPeer
{
    public static ChildProcess Start(string directory, int grpcPort, int httpPort, int grpcBackend, int httpBackend)
    {
        Directory.CreateDirectory(directory);
        var config = Path.Combine(directory, "haproxy.cfg");
        File.WriteAllText(config, $"""
            global
                nbthread {Environment.ProcessorCount}
                maxconn 4096
            defaults
                mode http
                timeout connect 5s
                timeout client 300s
                timeout server 300s
                http-reuse always
            frontend grpc_in
                bind 127.0.0.1:{grpcPort} proto h2
                default_backend grpc_out
            backend grpc_out
                server s1 127.0.0.1:{grpcBackend} proto h2
            frontend http_in
                bind 127.0.0.1:{httpPort}
                default_backend http_out
            backend http_out
                server s1 127.0.0.1:{httpBackend}

            """);
        return ChildProcess.Start("haproxy", "haproxy", ["-f", config]);
    }
}
