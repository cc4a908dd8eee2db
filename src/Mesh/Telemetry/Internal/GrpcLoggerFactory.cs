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

    public ILogger CreateLogger(string categoryName) =>
        categoryName.StartsWith(GrpcClientCategory, StringComparison.Ordinal)
            ? _loggers.GetOrAdd(categoryName, static (name, inner) => new TraceLevelLogger(inner.CreateLogger(name)), _inner)
            : _inner.CreateLogger(categoryName);

    public void AddProvider(ILoggerProvider provider) => _inner.AddProvider(provider);

    /// <summary>The app owns the inner factory.</summary>
    public void Dispose()
    {
    }
}
