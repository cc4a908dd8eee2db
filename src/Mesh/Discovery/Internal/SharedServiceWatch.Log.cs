using Microsoft.Extensions.Logging;

namespace Mesh.Discovery.Internal;

internal sealed partial class SharedServiceWatch
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 2001, EventName = "DiscoveryWatchStarted", Level = LogLevel.Debug, Message = "Watching {Query}")]
        public static partial void WatchStarted(ILogger logger, ServiceQuery query);

        [LoggerMessage(EventId = 2002, EventName = "DiscoveryWatchStopped", Level = LogLevel.Debug, Message = "Stopped watching {Query}")]
        public static partial void WatchStopped(ILogger logger, ServiceQuery query);

        [LoggerMessage(EventId = 2003, EventName = "DiscoveryEndpointsChanged", Level = LogLevel.Information,
            Message = "{Query}: {Previous} -> {Count} instance(s)")]
        public static partial void EndpointsChanged(ILogger logger, ServiceQuery query, int previous, int count);

        [LoggerMessage(EventId = 2004, EventName = "DiscoveryStale", Level = LogLevel.Warning,
            Message = "{Query}: registry failed ({Reason}); keeping the last known good {Count} instance(s)")]
        public static partial void KeepingLastKnownGood(ILogger logger, ServiceQuery query, string reason, int count, Exception? exception);

        [LoggerMessage(EventId = 2005, EventName = "DiscoveryRecovered", Level = LogLevel.Information,
            Message = "{Query}: registry answering again after {StaleSeconds:0.0} s of stale data")]
        public static partial void Recovered(ILogger logger, ServiceQuery query, double staleSeconds);

        [LoggerMessage(EventId = 2006, EventName = "DiscoverySubscriberFailed", Level = LogLevel.Error,
            Message = "{Query}: a change subscriber threw")]
        public static partial void SubscriberFailed(ILogger logger, ServiceQuery query, Exception exception);

        [LoggerMessage(EventId = 2007, EventName = "DiscoveryWatcherCrashed", Level = LogLevel.Error,
            Message = "{Query}: the registry watcher stopped unexpectedly")]
        public static partial void WatcherCrashed(ILogger logger, ServiceQuery query, Exception exception);
    }
}
