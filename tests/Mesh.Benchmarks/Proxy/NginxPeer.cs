namespace Mesh.Benchmarks.Proxy;

/// <summary>
/// nginx as its users would set it up for this machine: <c>worker_processes auto</c>, keepalive to the upstreams,
/// idle upstream connections kept above the run's concurrency (nginx opens one upstream connection per gRPC stream),
/// <c>keepalive_requests</c> far above a run's count (its default of 1000 closes h2load's connections mid-run),
/// <c>grpc_pass</c> on an <c>http2</c> listener for gRPC, <c>proxy_pass</c> over HTTP/1.1 keepalive for HTTP.
/// </summary>
internal static class NginxPeer
{
    public static ChildProcess Start(string directory, int grpcPort, int httpPort, int grpcBackend, int httpBackend)
    {
        Directory.CreateDirectory(directory);
        var config = Path.Combine(directory, "nginx.conf");
        File.WriteAllText(config, $$"""
            worker_processes auto;
            user root;
            pid {{directory}}/nginx.pid;
            error_log {{directory}}/error.log warn;
            events { worker_connections 4096; }
            http {
                access_log off;
                client_body_temp_path {{directory}}/client_body;
                proxy_temp_path {{directory}}/proxy;
                fastcgi_temp_path {{directory}}/fastcgi;
                uwsgi_temp_path {{directory}}/uwsgi;
                scgi_temp_path {{directory}}/scgi;
                keepalive_requests 1000000000;
                keepalive_timeout 300s;
                upstream grpc_backend { server 127.0.0.1:{{grpcBackend}}; keepalive 512; keepalive_requests 1000000000; }
                upstream http_backend { server 127.0.0.1:{{httpBackend}}; keepalive 512; keepalive_requests 1000000000; }
                server {
                    listen 127.0.0.1:{{grpcPort}} http2;
                    location / { grpc_pass grpc://grpc_backend; }
                }
                server {
                    listen 127.0.0.1:{{httpPort}};
                    location / {
                        proxy_pass http://http_backend;
                        proxy_http_version 1.1;
                        proxy_set_header Connection "";
                    }
                }
            }
            """);
        return ChildProcess.Start("nginx", "nginx", ["-p", directory, "-c", config, "-g", "daemon off;"]);
    }
}
