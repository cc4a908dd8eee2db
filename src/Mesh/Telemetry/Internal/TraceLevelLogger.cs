using Microsoft.Extensions.Logging;

namespace Mesh.Telemetry.Internal;

/// <summary>Writes entries below Warning at Trace, and Warning and above as they are (see <see cref="GrpcLoggerFactory"/>).</summary>
internal sealed class TraceLevelLogger(ILogger inner) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => inner.BeginScope(state);

    public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(Map(logLevel));

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var level = Map(logLevel);
        inner.Log(level, eventId, state, exception, formatter);
    }

    private static LogLevel Map(LogLevel level) => level < LogLevel.Warning ? LogLevel.Trace : level;
}
