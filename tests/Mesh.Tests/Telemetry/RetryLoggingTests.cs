using Grpc.Core;
using Mesh.Balancing;
using Mesh.Channels;
using Mesh.Resilience;
using Mesh.Testing.Grpc;
using Mesh.Testing.Grpc.V1;
using Mesh.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Mesh.Tests.Telemetry;

/// <summary>
/// What a console shows when Mesh retries around failing instances (one answering UNAVAILABLE, one resetting every
/// connection): at the default level nothing with a stack trace; at Debug, one line per retry.
/// </summary>
public sealed class RetryLoggingTests : IAsyncLifetime
{
    private TestGrpcServer _failing = null!;
    private TestGrpcServer _resetting = null!;
    private TestGrpcServer _healthy = null!;

    public async Task InitializeAsync()
    {
        _failing = await TestGrpcServer.StartAsync("failing");
        _failing.Faults.FailWith = StatusCode.Unavailable;
        _resetting = await TestGrpcServer.StartAsync("resetting");
        _resetting.Faults.RefuseConnections = true;
        _healthy = await TestGrpcServer.StartAsync("healthy");
    }

    public async Task DisposeAsync()
    {
        await _failing.DisposeAsync();
        await _resetting.DisposeAsync();
        await _healthy.DisposeAsync();
    }

    /// <summary>Counts the attempts the policy retried: each must be exactly one log line.</summary>
    private sealed class RetryCounter : ICallPolicyObserver
    {
        private int _retries;

        public int Retries => Volatile.Read(ref _retries);

        public void OnAttemptFinished(in AttemptFinishedArguments arguments)
        {
            if (arguments.WillRetry)
            {
                Interlocked.Increment(ref _retries);
            }
        }
    }

    private async Task<(IReadOnlyList<LogCapture.Entry> Logs, int Retries)> CallAsync(LogLevel level, bool clientFactory)
    {
        var logs = new LogCapture();
        var retries = new RetryCounter();
        var services = new ServiceCollection().AddLogging(logging => logging.SetMinimumLevel(level).AddProvider(logs));
        services.AddSingleton<ICallPolicyObserver>(retries);
        services.AddMesh(options =>
        {
            options.Registry = RegistryKind.Static;
            var echo = new Mesh.Discovery.ServiceOptions();
            echo.Endpoints.AddRange([$"{_failing.Host}:{_failing.Port}", $"{_resetting.Host}:{_resetting.Port}", $"{_healthy.Host}:{_healthy.Port}"]);
            echo.Balancing.LoadBalancer = LoadBalancerKind.RoundRobin;
            echo.Balancing.OutlierDetection.Enabled = false;
            options.Services["echo"] = echo;
        });
        services.AddGrpcClient<EchoService.EchoServiceClient>().AddMesh("echo");
        await using var provider = services.BuildServiceProvider();
        var client = clientFactory
            ? provider.GetRequiredService<EchoService.EchoServiceClient>()
            : new EchoService.EchoServiceClient(provider.GetRequiredService<IMeshChannels>().CreateCallInvoker("echo"));

        // Most calls end at the healthy instance after a retry or two; a call whose attempts all failed is the
        // caller's exception, not a log entry.
        for (var i = 0; i < 6; i++)
        {
            try
            {
                await client.EchoAsync(new EchoRequest { Message = "x" });
            }
            catch (RpcException)
            {
            }
        }

        return (logs.Entries, retries.Retries);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RetriedAttempts_DefaultLevel_NoStackTrace(bool clientFactory)
    {
        var (logs, retries) = await CallAsync(LogLevel.Information, clientFactory);

        Assert.True(retries > 0);
        Assert.Empty(logs.Where(e => e.Exception is not null).Select(e => e.ToString()));
        Assert.Empty(logs.Where(e => e.Category.StartsWith("Grpc.Net.Client", StringComparison.Ordinal)).Select(e => e.ToString()));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RetriedAttempts_Debug_OneLineEach(bool clientFactory)
    {
        var (logs, retries) = await CallAsync(LogLevel.Debug, clientFactory);

        Assert.Empty(logs.Where(e => e.Exception is not null).Select(e => e.ToString()));
        var retryLines = logs.Where(e => e.EventId.Name == "RetryingAttempt").ToList();
        Assert.Equal(retries, retryLines.Count);
        Assert.All(retryLines, e =>
        {
            Assert.Equal((LogLevel.Debug, 1), (e.Level, e.Lines));
            Assert.Contains("mesh.testing.v1.EchoService/Echo", e.Message, StringComparison.Ordinal);
            Assert.Contains("Unavailable", e.Message, StringComparison.Ordinal);
        });
    }
}
