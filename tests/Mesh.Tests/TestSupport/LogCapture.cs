using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Mesh.Tests.TestSupport;

/// <summary>
/// A logger provider that keeps every entry its loggers let through (the app's filters apply as usual), so a test can
/// assert on what a user would see in the console at the configured levels.
/// </summary>
internal sealed class LogCapture : ILoggerProvider
{
    private readonly ConcurrentQueue<Entry> _entries = new();

    public IReadOnlyList<Entry> Entries => [.. _entries];

    public ILogger CreateLogger(string categoryName) => new CapturingLogger(categoryName, _entries);

    public void Dispose()
    {
    }

    /// <summary>One log entry as a console would print it: the message, and the exception's text (its stack) if any.</summary>
    internal sealed record Entry(string Category, LogLevel Level, EventId EventId, string Message, Exception? Exception)
    {
        /// <summary>Gets how many lines a console logger prints for this entry: the message plus the exception's.</summary>
        public int Lines => Message.Split('\n').Length + (Exception is null ? 0 : Exception.ToString().Split('\n').Length);

        public override string ToString() => $"{Level} {Category}[{EventId.Name}]: {Message}{(Exception is null ? "" : " + " + Exception.GetType().Name)}";
    }

    private sealed class CapturingLogger(string category, ConcurrentQueue<Entry> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            entries.Enqueue(new Entry(category, logLevel, eventId, formatter(state, exception), exception));
    }
}
