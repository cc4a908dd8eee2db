using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Forwarder;

namespace Mesh.Sidecar.Inbound;

internal sealed partial class InboundForwarder
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 8101, EventName = "InboundForwardFailed", Level = LogLevel.Debug,
            Message = "Forwarding {Path} to the app at {AppAddress} failed ({Error}): {Reason}")]
        public static partial void ForwardFailed(ILogger logger, string path, string appAddress, ForwarderError error, string reason);
    }
}
