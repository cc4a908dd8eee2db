namespace Mesh.Consul.Models;

/// <summary>A service's DNS weights by health.</summary>
public sealed class ServiceWeights
{
    /// <summary>Gets or sets the weight while passing.</summary>
    public int Passing { get; set; }

    /// <summary>Gets or sets the weight while warning.</summary>
    public int Warning { get; set; }
}
