using Microsoft.Extensions.Logging;

namespace Mesh.Registries.Static;

public sealed partial class StaticRegistry
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 3001, EventName = "StaticRegistrationIgnored", Level = LogLevel.Information,
            Message = "The Static registry does not register instances; '{ServiceId}' is reachable only where configuration lists it")]
        public static partial void RegistrationIgnored(ILogger logger, string serviceId);

        [LoggerMessage(EventId = 3002, EventName = "StaticBadEndpoint", Level = LogLevel.Warning,
            Message = "Mesh:Services:{ServiceName}:Endpoints has an entry that is not host:port or a URI, skipped: '{Endpoint}'")]
        public static partial void BadEndpoint(ILogger logger, string serviceName, string endpoint);
    }
}
