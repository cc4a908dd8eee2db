using Microsoft.Extensions.Logging;

namespace Mesh.Registries.Consul;

internal sealed partial class ConsulServiceWatcher
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 1101, EventName = "ConsulWatchFailed", Level = LogLevel.Debug,
            Message = "Watch of '{ServiceName}' failed {Failures} time(s) in a row; next query in {DelayMs:0} ms")]
        public static partial void QueryFailed(ILogger logger, string serviceName, int failures, double delayMs);

        [LoggerMessage(EventId = 1102, EventName = "ConsulIndexReset", Level = LogLevel.Debug,
            Message = "Consul index for '{ServiceName}' went backwards ({Previous} to {Returned}); resetting the watch")]
        public static partial void IndexReset(ILogger logger, string serviceName, ulong previous, ulong returned);
    }
}
