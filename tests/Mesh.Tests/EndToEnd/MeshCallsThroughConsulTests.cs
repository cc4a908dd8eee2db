using Grpc.Core;
using Mesh.Testing.Consul;
using Mesh.Testing.Grpc;
using Mesh.Testing.Grpc.V1;
using Mesh.Tests.TestSupport;

namespace Mesh.Tests.EndToEnd;

/// <summary>
/// Calls through <c>consul:///echo</c> from an app wired by <c>AddMesh</c>, to three real Kestrel gRPC instances
/// registered in the Consul emulator: what a user of the library sees when instances fail, leave or all break.
/// </summary>
public sealed class MeshCallsThroughConsulTests
{
    private const string EchoMethod = "mesh.testing.v1.EchoService/Echo";
    private static readonly EchoRequest Hello = new() { Message = "hello" };

    [Fact]
    public async Task DeregisteredInstance_StopsReceivingPicksAfterTheDiscoveryUpdate()
    {
        await using var consul = await ConsulEmulator.StartNewAsync();
        await using var cluster = await TestGrpcCluster.StartAsync(3);
        MeshClientHost.RegisterAll(consul, cluster);
        await using var app = await MeshClientHost.StartAsync(consul, new() { ["Mesh:Services:echo:Balancing:LoadBalancer"] = "RoundRobin" });
        var client = app.Client();
        await MeshClientHost.WarmAsync(client, cluster);

        consul.DeregisterService("echo-2");
        await app.WaitForInstancesAsync(2);
        for (var i = 0; i < 10; i++)
        {
            await client.EchoAsync(Hello); // the resolver hands the update to the balancer on the thread pool
        }

        var before = cluster.CallCounts();
        for (var i = 0; i < 30; i++)
        {
            await client.EchoAsync(Hello);
        }

        Assert.Equal(0, cluster[2].CallCount - before["echo-2"]);
        Assert.Equal(15, cluster[0].CallCount - before["echo-0"]);
        Assert.Equal(15, cluster[1].CallCount - before["echo-1"]);
    }

    [Fact]
    public async Task KilledInstance_IdempotentMethod_NoCallFails()
    {
        await using var consul = await ConsulEmulator.StartNewAsync();
        await using var cluster = await TestGrpcCluster.StartAsync(3);
        MeshClientHost.RegisterAll(consul, cluster);
        await using var app = await MeshClientHost.StartAsync(consul, new() { [$"Mesh:Services:echo:Policy:Methods:{EchoMethod}:Idempotent"] = "true" });
        var client = app.Client();
        await MeshClientHost.WarmAsync(client, cluster);

        // Killed, still registered: Consul has not noticed yet, so only the client side can route around it.
        await cluster[1].StopAsync();
        var calls = Enumerable.Range(0, 100).Select(_ => client.EchoAsync(Hello).ResponseAsync);
        var replies = await Task.WhenAll(calls);

        Assert.Equal(100, replies.Length);
        Assert.DoesNotContain(replies, r => r.Instance == "echo-1");
    }

    [Fact]
    public async Task HungInstance_CallEndsWithDeadlineExceededAfterTheFallback_AndTheInstanceSeesTheCancellation()
    {
        var time = new SignallingTimeProvider();
        await using var consul = await ConsulEmulator.StartNewAsync();
        await using var cluster = await TestGrpcCluster.StartAsync(1);
        MeshClientHost.RegisterAll(consul, cluster);
        await using var app = await MeshClientHost.StartAsync(consul, new()
        {
            ["Mesh:Services:echo:Policy:FallbackTimeout"] = "00:00:10",
        }, time);
        var client = app.Client();
        await MeshClientHost.WarmAsync(client, cluster);
        var server = cluster[0];
        server.Faults.Delay = TimeSpan.FromHours(1);

        // Nothing configured a deadline: none goes on the wire, the fallback (fake time) ends the call.
        using var bounded = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var reached = server.CallCount + 1;
        var call = client.EchoAsync(Hello).ResponseAsync;
        await server.WaitForCallCountAsync(reached, bounded.Token);
        time.Advance(TimeSpan.FromSeconds(11));
        var failure = await Assert.ThrowsAsync<RpcException>(() => call);
        await server.WaitForCancelledCallAsync(bounded.Token);

        Assert.Equal(StatusCode.DeadlineExceeded, failure.StatusCode);
        Assert.Equal("Deadline Exceeded: no answer from 'echo' within the fallback timeout (10 s)", failure.Status.Detail);
        Assert.Equal(1, server.CancelledCalls);
    }

    [Fact]
    public async Task FailingInstance_IsEjectedWithinTheConfiguredFailures_AndNoCallFails()
    {
        await using var consul = await ConsulEmulator.StartNewAsync();
        await using var cluster = await TestGrpcCluster.StartAsync(3);
        MeshClientHost.RegisterAll(consul, cluster);
        await using var app = await MeshClientHost.StartAsync(consul, new()
        {
            ["Mesh:Services:echo:Balancing:LoadBalancer"] = "RoundRobin",
            ["Mesh:Services:echo:Balancing:OutlierDetection:ConsecutiveFailures"] = "3",
        });
        var client = app.Client();
        await MeshClientHost.WarmAsync(client, cluster);
        var before = cluster[0].CallCount;

        cluster[0].Faults.FailWith = StatusCode.Unavailable;
        for (var i = 0; i < 60; i++)
        {
            await client.EchoAsync(Hello); // Unavailable is retried on another instance: every call succeeds
        }

        Assert.Equal(1, app.Monitor.GetEjectedCount("echo"));
        Assert.Equal(3, cluster[0].CallCount - before);
    }

    [Fact]
    public async Task FullOutage_RetryBudgetCapsTheAttempts()
    {
        await using var consul = await ConsulEmulator.StartNewAsync();
        await using var cluster = await TestGrpcCluster.StartAsync(3);
        MeshClientHost.RegisterAll(consul, cluster);
        await using var app = await MeshClientHost.StartAsync(consul, new()
        {
            ["Mesh:Services:echo:Policy:Retry:MaxAttempts"] = "3",
            ["Mesh:Services:echo:Policy:Retry:InitialBackoff"] = "00:00:00.001",
            ["Mesh:Services:echo:Policy:Retry:MaxBackoff"] = "00:00:00.001",
            ["Mesh:Services:echo:Policy:Budget:RetryRatio"] = "0.2",
            ["Mesh:Services:echo:Policy:Budget:MinRetriesPerSecond"] = "1",
            ["Mesh:Services:echo:Policy:Budget:Ttl"] = "00:01:00",
            ["Mesh:Services:echo:Policy:CircuitBreaker:Enabled"] = "false",
            ["Mesh:Services:echo:Balancing:OutlierDetection:Enabled"] = "false",
        });
        var client = app.Client();
        await MeshClientHost.WarmAsync(client, cluster);
        var before = cluster.Servers.Sum(s => s.CallCount);
        foreach (var server in cluster.Servers)
        {
            server.Faults.FailWith = StatusCode.Unavailable;
        }

        var failed = 0;
        for (var i = 0; i < 100; i++)
        {
            var error = await Assert.ThrowsAsync<RpcException>(() => client.EchoAsync(Hello).ResponseAsync);
            Assert.Equal(StatusCode.Unavailable, error.StatusCode);
            failed++;
        }

        // Without a budget: 300 attempts. With it: 100 + 20% of every request in the window (the warm-up's
        // included) + the floor (1/s over the 60 s window).
        var attempts = cluster.Servers.Sum(s => s.CallCount) - before;
        var allowedRetries = (int)Math.Ceiling(0.2 * (100 + before)) + 60;
        Assert.Equal(100, failed);
        Assert.InRange(attempts, 120, 100 + allowedRetries);
    }

    [Fact]
    public async Task Breaker_OpensFailsFastHalfOpensAndCloses()
    {
        var time = new SignallingTimeProvider();
        // gRPC deadlines on the wire are absolute UTC times checked against the real clock: start the fake one at now.
        time.SetUtcNow(DateTimeOffset.UtcNow);
        await using var consul = await ConsulEmulator.StartNewAsync();
        await using var cluster = await TestGrpcCluster.StartAsync(3);
        MeshClientHost.RegisterAll(consul, cluster);
        await using var app = await MeshClientHost.StartAsync(consul, new()
        {
            ["Mesh:Services:echo:Policy:Retry:MaxAttempts"] = "1",
            ["Mesh:Services:echo:Policy:CircuitBreaker:MinimumThroughput"] = "5",
            ["Mesh:Services:echo:Policy:CircuitBreaker:FailureRatio"] = "0.5",
            ["Mesh:Services:echo:Policy:CircuitBreaker:BreakDuration"] = "00:00:05",
            ["Mesh:Services:echo:Balancing:OutlierDetection:Enabled"] = "false",
        }, time);
        var client = app.Client();
        await MeshClientHost.WarmAsync(client, cluster);
        var successes = (int)cluster.Servers.Sum(s => s.CallCount);
        foreach (var server in cluster.Servers)
        {
            server.Faults.FailWith = StatusCode.Unavailable;
        }

        // The warm-up's successes share the window, so it takes a few more than MinimumThroughput failures.
        var failures = 0;
        while (app.Channels.GetPolicy("echo").CircuitState != Mesh.Resilience.CircuitState.Open && failures < 50)
        {
            var failure = await Assert.ThrowsAsync<RpcException>(() => client.EchoAsync(Hello).ResponseAsync);
            Assert.EndsWith("failed on purpose", failure.Status.Detail, StringComparison.Ordinal);
            failures++;
        }

        // Open once the window holds MinimumThroughput calls and at least half of them failed.
        Assert.InRange(successes + failures, 5, 2 * successes + 5);
        Assert.True(failures >= successes, $"opened after {failures} failures and {successes} successes");
        var reached = cluster.Servers.Sum(s => s.CallCount);
        var open = await Assert.ThrowsAsync<RpcException>(() => client.EchoAsync(Hello).ResponseAsync);
        Assert.Equal((StatusCode.Unavailable, "circuit open for 'echo'"), (open.StatusCode, open.Status.Detail));
        Assert.Equal(reached, cluster.Servers.Sum(s => s.CallCount)); // failed fast: no instance saw it
        Assert.Equal(Mesh.Resilience.CircuitState.Open, app.Channels.GetPolicy("echo").CircuitState);

        foreach (var server in cluster.Servers)
        {
            server.Faults.Heal();
        }

        time.Advance(TimeSpan.FromSeconds(5));
        await client.EchoAsync(Hello); // the half-open probe succeeds
        Assert.Equal(Mesh.Resilience.CircuitState.Closed, app.Channels.GetPolicy("echo").CircuitState);
        await client.EchoAsync(Hello);
    }
}
