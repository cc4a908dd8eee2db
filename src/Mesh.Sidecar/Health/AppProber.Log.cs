using Microsoft.Extensions.Logging;

namespace Mesh.Sidecar.Health;

internal sealed partial class AppProber
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 8201, EventName = "AppPassing", Level = LogLevel.Information, Message = "The app is healthy: {Output}")]
        public static partial void AppPassing(ILogger logger, string output);

        [LoggerMessage(EventId = 8202, EventName = "AppCritical", Level = LogLevel.Warning,
            Message = "The app is not healthy, reporting it critical: {Output}")]
        public static partial void AppCritical(ILogger logger, string output);
    }
}
