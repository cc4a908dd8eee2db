using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Mesh.Telemetry.Internal;

/// <summary>
/// The logger factory of Mesh's channels. grpc-dotnet logs every failed call at Information with its exception (two
/// entries, ~80 lines of stack for a reset connection) and connection failures at Debug with theirs; on a Mesh channel
/// those are attempts Mesh retries, instances it ejects, and failures the caller gets as an exception anyway, and Mesh
/// logs what it did (one Debug line per retry). So grpc-dotnet's entries below Warning are written at Trace: hidden at
/// the default and Debug levels, there for <c>Logging:LogLevel:Grpc.Net.Client=Trace</c>. Other categories, and
/// channels Mesh did not build, are untouched.
/// </summary>
internal sealed class GrpcLoggerFactory : ILoggerFactory
{
    private const string GrpcClientCategory = "Grpc.Net.Client";

    private readonly ILoggerFactory _inner;

    // grpc-dotnet asks for its call logger on every call: hand out one per category, without the inner factory's lock.
    private readonly ConcurrentDictionary<string, ILogger> _loggers = new(StringComparer.Ordinal);

    public GrpcLoggerFactory(ILoggerFactory inner) => _inner = inner;

    // The first few categories asked for more than once, by reference: grpc-dotnet passes the same string instance for
    // its call logger on every call, and comparing references saves hashing it. Copied on write: readers take no lock.
    private volatile CategoryLogger[] _recent = [];

    public ILogger CreateLogger(string categoryName)
    {
        foreach (var entry in _recent)
        {
            if (ReferenceEquals(entry.Category, categoryName))
            {
                return entry.Logger;
            }
        }

        if (!categoryName.StartsWith(GrpcClientCategory, StringComparison.Ordinal))
        {
            return _inner.CreateLogger(categoryName);
        }

        if (!_loggers.TryGetValue(categoryName, out var logger))
        {
            return _loggers.GetOrAdd(categoryName, static (name, inner) => new TraceLevelLogger(inner.CreateLogger(name)), _inner);
        }

        // Asked for again: a category asked for on every call (channels ask for theirs once each, at creation).
        var recent = _recent;
        if (recent.Length < MaxRecent)
        {
            // A racing writer may drop another's entry: that category is then looked up by name, as before.
            _recent = [.. recent, new CategoryLogger(categoryName, logger)];
        }

        return logger;
    }

    private const int MaxRecent = 8;

    public void AddProvider(ILoggerProvider provider) => _inner.AddProvider(provider);

    private sealed record CategoryLogger(string Category, ILogger Logger);

    /// <summary>The app owns the inner factory.</summary>
    public void Dispose()
    {
    }
}
