namespace Mesh.Consul.Models;

/// <summary>One tagged address of a service.</summary>
public sealed class ServiceAddress
{
    /// <summary>Gets or sets the address.</summary>
    public string Address { get; set; } = "";

    /// <summary>Gets or sets the port.</summary>
    public int Port { get; set; }
}
