using Microsoft.Extensions.Logging;

namespace Mesh.Registries.Local.Internal;

/// <summary>The Local registry's log messages (event ids 3101-3199).</summary>
internal static partial class LocalRegistryLog
{
    [LoggerMessage(EventId = 3101, EventName = "LocalRegistered", Level = LogLevel.Debug,
        Message = "Wrote Local registry entry '{ServiceId}' of '{ServiceName}' in {Directory}")]
    public static partial void Registered(ILogger logger, string serviceId, string serviceName, string directory);

    [LoggerMessage(EventId = 3102, EventName = "LocalReaped", Level = LogLevel.Information,
        Message = "Removed Local registry entry '{ServiceId}' of '{ServiceName}': its lease ran out longer ago than its DeregisterCriticalServiceAfter")]
    public static partial void Reaped(ILogger logger, string serviceId, string serviceName);

    [LoggerMessage(EventId = 3103, EventName = "LocalBadEntry", Level = LogLevel.Warning,
        Message = "Skipping unreadable Local registry entry {Path}: {Reason}")]
    public static partial void BadEntry(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 3104, EventName = "LocalNotificationsUnavailable", Level = LogLevel.Warning,
        Message = "File notifications are unavailable for {Directory} ({Reason}); changes are found by polling only")]
    public static partial void NotificationsUnavailable(ILogger logger, string directory, string reason);

    [LoggerMessage(EventId = 3105, EventName = "LocalQueryPartsIgnored", Level = LogLevel.Warning,
        Message = "The Local registry has one datacenter and no filter expressions: the Datacenter and Filter set for '{ServiceName}' are ignored")]
    public static partial void QueryPartsIgnored(ILogger logger, string serviceName);
}
