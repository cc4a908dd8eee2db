using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Forwarder;

namespace Mesh.Sidecar.Outbound;

internal sealed partial class OutboundForwarder
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 1, EventName = "OutboundNoInstances", Level = LogLevel.Debug, Message = "No healthy instances of '{Service}' for {Path}")]
        public static partial void NoInstances(ILogger logger, string service, string path);

        [LoggerMessage(EventId = 2, EventName = "OutboundForwardFailed", Level = LogLevel.Debug, Message = "Forwarding {Path} to '{Service}' failed: {Error}")]
        public static partial void ForwardFailed(ILogger logger, string path, string service, ForwarderError error);
    }
}
