namespace Mesh.Discovery;

/// <summary>The aggregated health of an instance: the worst status among its checks.</summary>
public enum EndpointHealth
{
    /// <summary>Every check passes.</summary>
    Passing = 0,

    /// <summary>At least one check warns and none is critical.</summary>
    Warning = 1,

    /// <summary>At least one check is critical (or the instance is in maintenance).</summary>
    Critical = 2,
}
