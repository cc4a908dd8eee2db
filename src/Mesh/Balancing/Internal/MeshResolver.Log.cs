using Microsoft.Extensions.Logging;

namespace Mesh.Balancing.Internal;

internal sealed partial class MeshResolver
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 5101, EventName = "BalancingResolved", Level = LogLevel.Debug,
            Message = "{ServiceName}: {Count} instance(s) (discovery version {Version})")]
        public static partial void Resolved(ILogger logger, string serviceName, int count, long version);

        [LoggerMessage(EventId = 5102, EventName = "BalancingNoInstances", Level = LogLevel.Warning,
            Message = "{ServiceName}: discovery reports no healthy instance; calls fail with Unavailable")]
        public static partial void NoInstances(ILogger logger, string serviceName);

        [LoggerMessage(EventId = 5103, EventName = "BalancingResolveTimedOut", Level = LogLevel.Warning,
            Message = "{ServiceName}: discovery has not answered after {Seconds:0.#} s; calls fail with Unavailable until it does")]
        public static partial void ResolveTimedOut(ILogger logger, string serviceName, double seconds);

        [LoggerMessage(EventId = 5104, EventName = "BalancingResolverListenerFailed", Level = LogLevel.Error,
            Message = "{ServiceName}: the channel rejected a resolver result")]
        public static partial void ListenerFailed(ILogger logger, string serviceName, Exception exception);
    }
}
