using Microsoft.Extensions.Logging;

namespace Mesh.Registration.Internal;

internal sealed partial class RegistrationService
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 4001, EventName = "Registered", Level = LogLevel.Information,
            Message = "Registered '{ServiceId}' as {ServiceName} at {Address}:{Port}")]
        public static partial void Registered(ILogger logger, string serviceId, string serviceName, string address, int port);

        [LoggerMessage(EventId = 4002, EventName = "RegisterFailed", Level = LogLevel.Warning,
            Message = "Registering '{ServiceId}' failed (attempt {Attempt}); retrying in {DelaySeconds:0.0} s: {Reason}")]
        public static partial void RegisterFailed(ILogger logger, string serviceId, int attempt, double delaySeconds, string reason);

        [LoggerMessage(EventId = 4003, EventName = "HeartbeatFailed", Level = LogLevel.Warning,
            Message = "Heartbeat of '{ServiceId}' failed: {Reason}")]
        public static partial void HeartbeatFailed(ILogger logger, string serviceId, string reason);

        [LoggerMessage(EventId = 4004, EventName = "Reregistering", Level = LogLevel.Warning,
            Message = "The registry no longer knows '{ServiceId}' (agent restart or expired lease); registering again")]
        public static partial void Reregistering(ILogger logger, string serviceId);

        [LoggerMessage(EventId = 4005, EventName = "Draining", Level = LogLevel.Information,
            Message = "'{ServiceId}' is in maintenance; draining for {DrainSeconds:0.0} s before deregistering")]
        public static partial void Draining(ILogger logger, string serviceId, double drainSeconds);

        [LoggerMessage(EventId = 4006, EventName = "DrainFailed", Level = LogLevel.Warning,
            Message = "Could not put '{ServiceId}' in maintenance: {Reason}")]
        public static partial void DrainFailed(ILogger logger, string serviceId, string reason);

        [LoggerMessage(EventId = 4007, EventName = "Deregistered", Level = LogLevel.Information, Message = "Deregistered '{ServiceId}'")]
        public static partial void Deregistered(ILogger logger, string serviceId);

        [LoggerMessage(EventId = 4008, EventName = "DeregisterFailed", Level = LogLevel.Warning,
            Message = "Could not deregister '{ServiceId}'; the registry will remove it when its check or lease expires: {Reason}")]
        public static partial void DeregisterFailed(ILogger logger, string serviceId, string reason);

        [LoggerMessage(EventId = 4009, EventName = "CannotRegister", Level = LogLevel.Error,
            Message = "This instance cannot be registered: {Reason}")]
        public static partial void CannotRegister(ILogger logger, string reason);

        [LoggerMessage(EventId = 4010, EventName = "DrainCutShort", Level = LogLevel.Warning,
            Message = "The drain of '{ServiceId}' was cut short after {DrainedSeconds:0.0} s of {DrainSeconds:0.0} s by the host's shutdown timeout; deregistering now")]
        public static partial void DrainCutShort(ILogger logger, string serviceId, double drainedSeconds, double drainSeconds);
    }
}
