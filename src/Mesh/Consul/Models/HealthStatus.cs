namespace Mesh.Consul.Models;

/// <summary>The check statuses Consul uses, as it spells them.</summary>
public static class HealthStatus
{
    /// <summary><c>passing</c>.</summary>
    public const string Passing = "passing";

    /// <summary><c>warning</c>.</summary>
    public const string Warning = "warning";

    /// <summary><c>critical</c>.</summary>
    public const string Critical = "critical";

    /// <summary><c>maintenance</c>: only ever the status of a maintenance check, which Consul reports as critical.</summary>
    public const string Maintenance = "maintenance";
}
