using Mesh.Discovery;
using Microsoft.Extensions.Logging;

namespace Mesh.Balancing.Internal;

internal sealed partial class OutlierDetector
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 5001, EventName = "BalancingEndpointEjected", Level = LogLevel.Warning,
            Message = "{ServiceName}: ejected {Endpoint} ({Reason}) for {Seconds:0.#} s (ejection #{TimesEjected})")]
        public static partial void Ejected(ILogger logger, string serviceName, ServiceEndpoint endpoint, EjectionReason reason, double seconds, int timesEjected);

        [LoggerMessage(EventId = 5002, EventName = "BalancingEndpointReturned", Level = LogLevel.Information,
            Message = "{ServiceName}: {Endpoint} returned to rotation")]
        public static partial void Returned(ILogger logger, string serviceName, ServiceEndpoint endpoint);

        [LoggerMessage(EventId = 5003, EventName = "BalancingEjectionCapped", Level = LogLevel.Debug,
            Message = "{ServiceName}: {Endpoint} is failing but stays in rotation: {Ejected} of {Total} instance(s) already ejected")]
        public static partial void EjectionCapped(ILogger logger, string serviceName, ServiceEndpoint endpoint, int ejected, int total);

        [LoggerMessage(EventId = 5004, EventName = "BalancingEjectionHandlerFailed", Level = LogLevel.Error,
            Message = "{ServiceName}: an ejection event handler threw")]
        public static partial void HandlerFailed(ILogger logger, string serviceName, Exception exception);
    }
}
