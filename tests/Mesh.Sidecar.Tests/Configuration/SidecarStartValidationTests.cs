using System.Net;
using System.Net.Sockets;
using Mesh.Sidecar.Configuration;
using Mesh.Sidecar.Tests.TestSupport;
using Microsoft.Extensions.Options;

namespace Mesh.Sidecar.Tests.Configuration;

/// <summary>Bad settings stop the sidecar at start with a message that names the key (in-process host starts).</summary>
public sealed class SidecarStartValidationTests
{
    [Fact]
    public async Task Start_WithoutAppPort_NamesTheKey()
    {
        var failure = await StartFailsAsync<OptionsValidationException>(new() { ["Mesh:Sidecar:AppPort"] = null });

        Assert.Contains("Mesh:Sidecar:AppPort is required: the port the app listens on at 127.0.0.1, from 1 to 65535 (--app-port 5000).", failure.Message);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("0")]
    [InlineData("70000")]
    public async Task Start_InvalidAppPort_NamesTheKeyAndTheRange(string value)
    {
        var failure = await StartFailsAsync<OptionsValidationException>(new() { ["Mesh:Sidecar:AppPort"] = value });

        Assert.Contains($"Mesh:Sidecar:AppPort must be a port number from 1 to 65535; got '{value}'.", failure.Message);
    }

    [Fact]
    public async Task Start_InboundPortInUse_NamesTheKey()
    {
        using var occupant = new TcpListener(IPAddress.Loopback, 0);
        occupant.Start();
        var port = ((IPEndPoint)occupant.LocalEndpoint).Port;

        var failure = await StartFailsAsync<SidecarStartupException>(new() { ["Mesh:Sidecar:Inbound"] = $"http://127.0.0.1:{port}" });

        Assert.Equal($"Mesh:Sidecar:Inbound: port {port} is already in use (http://127.0.0.1:{port}); stop what holds it or set Mesh:Sidecar:Inbound to another port.", failure.Message);
    }

    [Fact]
    public async Task Start_UpstreamPortInUse_NamesTheKey()
    {
        using var occupant = new TcpListener(IPAddress.Loopback, 0);
        occupant.Start();
        var port = ((IPEndPoint)occupant.LocalEndpoint).Port;

        var failure = await StartFailsAsync<SidecarStartupException>(new() { ["Mesh:Sidecar:Upstreams:payments"] = $"{port}" });

        Assert.Equal($"Mesh:Sidecar:Upstreams:payments: port {port} is already in use (http://127.0.0.1:{port}); stop what holds it or set Mesh:Sidecar:Upstreams:payments to another port.", failure.Message);
    }

    [Fact]
    public async Task Start_UpstreamPortCollidingWithAListener_NamesBothKeys()
    {
        var failure = await StartFailsAsync<OptionsValidationException>(new()
        {
            ["Mesh:Sidecar:Outbound"] = "http://127.0.0.1:4140",
            ["Mesh:Sidecar:Upstreams:payments"] = "4140",
        });

        Assert.Contains("Mesh:Sidecar:Upstreams:payments (port 4140) collides with Mesh:Sidecar:Outbound (port 4140): each listener, upstream and the app need a port of their own.", failure.Message);
    }

    [Fact]
    public async Task Start_NonLoopbackAdminWithoutOptIn_SaysHowToOptIn()
    {
        var failure = await StartFailsAsync<OptionsValidationException>(new() { ["Mesh:Sidecar:Admin"] = "http://0.0.0.0:0" });

        Assert.Contains("Mesh:Sidecar:Admin is http://0.0.0.0:0, which is not a loopback address", failure.Message);
        Assert.Contains("set Mesh:Sidecar:AllowNonLoopbackAdmin=true to expose it on purpose.", failure.Message);
    }

    [Fact]
    public async Task Start_NonLoopbackAdminWithOptIn_Starts()
    {
        await using var sidecar = await RunningSidecar.StartAsync(1, new()
        {
            ["Mesh:Sidecar:Admin"] = "http://0.0.0.0:0",
            ["Mesh:Sidecar:AllowNonLoopbackAdmin"] = "true",
            ["Mesh:Registration:Enabled"] = "false",
        });

        Assert.Equal(IPAddress.Any, sidecar.Listeners.AdminBound!.Address);
    }

    [Fact]
    public async Task Start_SeveralBadValues_ReportsEachWithItsKey()
    {
        var failure = await StartFailsAsync<OptionsValidationException>(new()
        {
            ["Mesh:Sidecar:Inbound"] = "tcp://somewhere",
            ["Mesh:Sidecar:Probe:Kind"] = "Ping",
            ["Mesh:Sidecar:Probe:Timeout"] = "00:01:00",
            ["Mesh:Sidecar:Upstreams:bad name"] = "9000",
        });

        Assert.Contains("Mesh:Sidecar:Inbound must be a listen URL http://<IP address, localhost or *>:<port 0-65535>, such as http://127.0.0.1:4191; got 'tcp://somewhere'.", failure.Failures);
        Assert.Contains("Mesh:Sidecar:Probe:Kind must be one of Tcp, Http, Grpc; got 'Ping'.", failure.Failures);
        Assert.Contains("Mesh:Sidecar:Probe:Timeout must be greater than zero and at most Mesh:Sidecar:Probe:Interval (00:00:05); got 00:01:00.", failure.Failures);
        Assert.Contains("Mesh:Sidecar:Upstreams:bad name: 'bad name' is not a service name ([A-Za-z0-9][A-Za-z0-9._-]*).", failure.Failures);
    }

    private static async Task<TException> StartFailsAsync<TException>(Dictionary<string, string?> overrides)
        where TException : Exception
    {
        var settings = RunningSidecar.Defaults(5000, Path.GetTempPath());
        foreach (var (key, value) in overrides)
        {
            settings[key] = value;
        }

        var app = RunningSidecar.Build(settings);
        await using (app)
        {
            return await Assert.ThrowsAsync<TException>(() => SidecarHost.StartAsync(app));
        }
    }
}
