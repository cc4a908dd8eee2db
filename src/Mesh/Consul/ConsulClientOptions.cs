namespace Mesh.Consul;

/// <summary>
/// How to reach Consul (<c>Mesh:Consul</c>). Unset values fall back to Consul's own environment variables:
/// <c>CONSUL_HTTP_ADDR</c>, <c>CONSUL_HTTP_TOKEN</c>, <c>CONSUL_CACERT</c>, <c>CONSUL_HTTP_SSL</c>.
/// </summary>
public sealed class ConsulClientOptions
{
    /// <summary>
    /// Gets or sets the agent's HTTP address, <c>host:port</c> or an absolute URI (<c>Mesh:Consul:Address</c>).
    /// </summary>
    /// <value>Defaults to <c>CONSUL_HTTP_ADDR</c>, then <c>http://127.0.0.1:8500</c>.</value>
    public string? Address { get; set; }

    /// <summary>
    /// Gets or sets the ACL token sent as <c>X-Consul-Token</c> (<c>Mesh:Consul:Token</c>). Never logged.
    /// </summary>
    /// <value>Defaults to <c>CONSUL_HTTP_TOKEN</c>.</value>
    public string? Token { get; set; }

    /// <summary>Gets or sets the datacenter to query (<c>Mesh:Consul:Datacenter</c>).</summary>
    /// <value>Defaults to the agent's own datacenter.</value>
    public string? Datacenter { get; set; }

    /// <summary>
    /// Gets or sets the path of a PEM file of CA certificates that the agent's TLS certificate must chain to
    /// (<c>Mesh:Consul:CaCertificateFile</c>).
    /// </summary>
    /// <value>Defaults to <c>CONSUL_CACERT</c>; unset trusts the system's roots.</value>
    public string? CaCertificateFile { get; set; }

    /// <summary>
    /// Gets or sets whether to use https when <see cref="Address"/> has no scheme (<c>Mesh:Consul:UseTls</c>).
    /// </summary>
    /// <value>Defaults to <c>CONSUL_HTTP_SSL</c>, then <see langword="false"/>.</value>
    public bool? UseTls { get; set; }

    /// <summary>
    /// Gets or sets the timeout of a non-blocking request (<c>Mesh:Consul:RequestTimeout</c>). A blocking query
    /// gets its wait, plus Consul's jitter of wait/16, on top.
    /// </summary>
    /// <value>Defaults to 10 s.</value>
    public TimeSpan RequestTimeout { get; set; } = ConsulDefaults.RequestTimeout;

    /// <summary>Gets or sets how long a blocking query waits for a change (<c>Mesh:Consul:BlockingWait</c>).</summary>
    /// <value>Defaults to 60 s; Consul caps it at 10 min.</value>
    public TimeSpan BlockingWait { get; set; } = ConsulDefaults.BlockingWait;

    /// <summary>Gets or sets the largest response body accepted (<c>Mesh:Consul:MaxResponseBytes</c>).</summary>
    /// <value>Defaults to 16 MiB.</value>
    public int MaxResponseBytes { get; set; } = ConsulDefaults.MaxResponseBytes;
}
