namespace Mesh.Registration;

/// <summary>Where this instance is in its registration lifecycle.</summary>
public enum RegistrationState
{
    /// <summary>Not registered yet: the app has not started, or the registry has not been reached.</summary>
    Pending = 0,

    /// <summary>Registered and (where needed) heartbeating.</summary>
    Registered = 1,

    /// <summary>Shutting down: in maintenance, waiting for callers to move away.</summary>
    Draining = 2,

    /// <summary>Removed from the registry on graceful stop.</summary>
    Deregistered = 3,

    /// <summary>Registration is off: no service name, or <c>Mesh:Registration:Enabled</c> is false.</summary>
    Disabled = 4,
}
