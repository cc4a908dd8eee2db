namespace Mesh.Consul;

/// <summary>Default values of <see cref="ConsulClientOptions"/> and the environment variables Consul's tools read.</summary>
public static class ConsulDefaults
{
    /// <summary>The agent address used when none is configured.</summary>
    public const string Address = "http://127.0.0.1:8500";

    /// <summary>The environment variable with the agent's address.</summary>
    public const string AddressVariable = "CONSUL_HTTP_ADDR";

    /// <summary>The environment variable with the ACL token.</summary>
    public const string TokenVariable = "CONSUL_HTTP_TOKEN";

    /// <summary>The environment variable with the CA certificate file.</summary>
    public const string CaCertificateVariable = "CONSUL_CACERT";

    /// <summary>The environment variable that turns https on.</summary>
    public const string UseTlsVariable = "CONSUL_HTTP_SSL";

    /// <summary>The name of the <see cref="System.Net.Http.HttpClient"/> Mesh registers for Consul.</summary>
    public const string HttpClientName = "Mesh.Consul";

    /// <summary>The default request timeout: 10 s.</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The default blocking-query wait: 60 s.</summary>
    public static readonly TimeSpan BlockingWait = TimeSpan.FromSeconds(60);

    /// <summary>The largest blocking wait Consul accepts: 10 min.</summary>
    public static readonly TimeSpan MaxBlockingWait = TimeSpan.FromMinutes(10);

    /// <summary>The default response size limit: 16 MiB.</summary>
    public const int MaxResponseBytes = 16 * 1024 * 1024;
}
