using Microsoft.Extensions.Logging;

namespace Mesh.Consul.Internal;

internal sealed partial class ConsulTransport
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 1001, EventName = "ConsulUnreachable", Level = LogLevel.Debug,
            Message = "Consul at {Address} could not be reached for {Method} {Path}: {Reason}")]
        public static partial void Unreachable(ILogger logger, Uri address, string method, string path, string reason);

        [LoggerMessage(EventId = 1002, EventName = "ConsulErrorStatus", Level = LogLevel.Debug,
            Message = "Consul answered {Method} {Path} with {StatusCode}: {Text}")]
        public static partial void ErrorStatus(ILogger logger, string method, string path, int statusCode, string text);
    }
}
