namespace Mesh.Sidecar.Configuration;

/// <summary>What <c>--help</c> prints: the flags, the keys and their defaults.</summary>
internal static class SidecarHelp
{
    /// <summary>The help text.</summary>
    public const string Text = """
        Mesh sidecar: registers the app next to it, probes its health, forwards mesh traffic to it and its calls to other services.

        Usage: mesh-sidecar --service <name> --app-port <port> [--upstream <name>=<port>]... [--<key>=<value>]...
               (or: dotnet run --project src/Mesh.Sidecar -- ..., or the published Mesh.Sidecar executable)

        Flags:
          --service <name>          Mesh:Registration:ServiceName   the name the app registers under
          --app-port <port>         Mesh:Sidecar:AppPort            the app's port on 127.0.0.1 (required)
          --upstream <name>=<port>  Mesh:Sidecar:Upstreams:<name>   a local port per upstream (repeatable; outbound: next step)
          --help                    this text

        Sidecar keys (also as --Mesh:Sidecar:<key>=<value>, Mesh__Sidecar__<key> variables or appsettings.json):
          Inbound                   http://0.0.0.0:4143     mesh traffic -> the app (HTTP/1.1 and h2c on one port)
          Outbound                  http://127.0.0.1:4140   the app -> other services (not served yet)
          Admin                     http://127.0.0.1:4191   /healthz /ready /metrics /endpoints /config
          AllowNonLoopbackAdmin     false                   allow Admin on a non-loopback address
          Probe:Kind                Tcp                     Tcp | Http | Grpc (grpc.health.v1)
          Probe:Path                /healthz                the path an Http probe GETs
          Probe:GrpcService         (empty)                 the service a Grpc probe asks about
          Probe:Interval            00:00:05                how often; a change reaches the registry within one interval
          Probe:Timeout             00:00:01                at most Probe:Interval
          IdleTimeout               00:05:00                a forwarded request with no progress this long is cancelled
          MaxRetryBodyBytes         65536                   request bodies up to this size can be retried (outbound)

        Every other Mesh: key means what it means in the library: Mesh:Registry (Local, Consul, Static; Consul when
        CONSUL_HTTP_ADDR is set), Mesh:Consul:*, Mesh:Registration:* (Tags, Meta, Ttl, DrainDelay...), Mesh:Services:*.
        Traces and metrics: OTEL_EXPORTER_OTLP_ENDPOINT (console otherwise); Prometheus text at Admin /metrics.
        """;
}
