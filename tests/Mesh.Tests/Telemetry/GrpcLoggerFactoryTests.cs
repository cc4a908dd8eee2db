using Mesh.Telemetry.Internal;
using Mesh.Tests.TestSupport;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Mesh.Tests.Telemetry;

/// <summary>
/// The logger factory of Mesh's channels: grpc-dotnet's entries below Warning at Trace, whichever way its logger was
/// found (by name the first time, by reference once it is asked for on every call), and other categories untouched.
/// </summary>
public sealed class GrpcLoggerFactoryTests
{
    private const string CallCategory = "Grpc.Net.Client.Internal.GrpcCall";

    [Fact]
    public void CallLogger_AskedForOnEveryCall_SameLoggerEntriesAtTrace()
    {
        var capture = new LogCapture();
        using var inner = LoggerFactory.Create(logging => logging.AddProvider(capture).SetMinimumLevel(LogLevel.Trace));
        var factory = new GrpcLoggerFactory(inner);

        // The first ask finds it by name, the second promotes it, the rest hit the reference check; a string equal
        // to the name but another instance is still the same category.
        var loggers = Enumerable.Range(0, 5).Select(_ => factory.CreateLogger(CallCategory)).ToList();
        loggers.Add(factory.CreateLogger(new string(CallCategory.AsSpan())));
        Assert.All(loggers, logger => Assert.Same(loggers[0], logger));

        Write(loggers[^1], LogLevel.Information, "call failed");
        Write(loggers[^1], LogLevel.Warning, "connection lost");
        Assert.Equal([(LogLevel.Trace, "call failed"), (LogLevel.Warning, "connection lost")], capture.Entries.Select(e => (e.Level, e.Message)));
    }

    [Fact]
    public void OtherCategory_AskedForTwice_EntriesAsTheyAre()
    {
        var capture = new LogCapture();
        using var inner = LoggerFactory.Create(logging => logging.AddProvider(capture).SetMinimumLevel(LogLevel.Trace));
        var factory = new GrpcLoggerFactory(inner);

        factory.CreateLogger("Mesh.Balancing");
        Write(factory.CreateLogger("Mesh.Balancing"), LogLevel.Information, "instance ejected");

        var entry = Assert.Single(capture.Entries);
        Assert.Equal((LogLevel.Information, "Mesh.Balancing"), (entry.Level, entry.Category));
    }

    [Fact]
    public void ManyGrpcCategories_EachStillMapped()
    {
        var capture = new LogCapture();
        using var inner = LoggerFactory.Create(logging => logging.AddProvider(capture).SetMinimumLevel(LogLevel.Trace));
        var factory = new GrpcLoggerFactory(inner);

        // More categories asked for repeatedly than the reference cache holds: the rest are found by name.
        var names = Enumerable.Range(0, 12).Select(i => $"Grpc.Net.Client.Category{i}").ToList();
        foreach (var name in names.Concat(names).Concat(names))
        {
            Write(factory.CreateLogger(name), LogLevel.Debug, name);
        }

        Assert.Equal(36, capture.Entries.Count);
        Assert.All(capture.Entries, e => Assert.Equal(LogLevel.Trace, e.Level));
    }

    // What grpc-dotnet's generated log methods end in: the logger's own Log, with the level the entry was written at.
    private static void Write(ILogger logger, LogLevel level, string message) =>
        logger.Log(level, default, message, null, static (state, _) => state);
}
