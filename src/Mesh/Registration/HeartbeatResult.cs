namespace Mesh.Registration;

/// <summary>What a registry said to a heartbeat.</summary>
public enum HeartbeatResult
{
    /// <summary>The registry knows the instance and has renewed it.</summary>
    Renewed = 0,

    /// <summary>The registry has forgotten the instance (an agent restart, an expired lease): register again.</summary>
    NotRegistered = 1,
}
