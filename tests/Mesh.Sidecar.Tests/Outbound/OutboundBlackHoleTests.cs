using Grpc.Core;
using Grpc.Net.Client;
using Mesh.Sidecar.Tests.Grpc;
using Mesh.Sidecar.Tests.TestSupport;
using Mesh.Testing.Net;

namespace Mesh.Sidecar.Tests.Outbound;

/// <summary>
/// A black hole behind the outbound door (an instance that accepts connections and never answers) is ejected: an
/// attempt with no answer by the call's deadline counts as the instance's DeadlineExceeded, whether the door's own
/// deadline ended it or the caller left at its deadline (issue 11's fault harness, black-hole through the sidecar).
/// </summary>
public sealed class OutboundBlackHoleTests
{
    [Theory]
    [InlineData("caller")] // the caller's grpc-timeout: it cancels at its deadline, the door's timer at about the same time
    [InlineData("policy")] // the service's Policy:Timeout: the door's own deadline, the caller waits for the answer
    public async Task AnInstanceThatNeverAnswers_IsEjected(string deadline)
    {
        await using var app = await ShapesApp.StartAsync();
        using var blackHole = new BlackHoleListener(); // accepts, never answers: a SIGSTOPped process
        var blackHolePort = blackHole.Port;
        var settings = new Dictionary<string, string?>
        {
            ["Mesh:Services:orders:Balancing:LoadBalancer"] = "RoundRobin", // every other call goes to the black hole
            ["Mesh:Services:orders:Balancing:OutlierDetection:ConsecutiveFailures"] = "2",
        };
        if (deadline == "policy")
        {
            settings["Mesh:Services:orders:Policy:Timeout"] = "00:00:00.300";
        }

        await using var caller = await CallerSidecar.StartAsync([blackHolePort, app.Port], settings);
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{caller.UpstreamPort}");
        var client = new Shapes.ShapesClient(channel);
        var timedOut = 0;
        var ejected = false;
        for (var call = 0; call < 20 && !ejected; call++)
        {
            try
            {
                await client.UnaryAsync(new Item { Text = "x" }, deadline: deadline == "caller" ? DateTime.UtcNow.AddMilliseconds(300) : null);
            }
            catch (RpcException ex) when (ex.StatusCode is StatusCode.DeadlineExceeded or StatusCode.Cancelled)
            {
                timedOut++;
            }

            ejected = (await caller.InstanceAsync(blackHolePort)).GetProperty("ejected").GetBoolean();
        }

        Assert.True(ejected, $"the black hole was not ejected after {timedOut} calls ended at their deadline");
        var answered = await client.UnaryAsync(new Item { Text = "after" }, deadline: DateTime.UtcNow.AddSeconds(5));
        Assert.Equal("after", answered.Text);
    }
}
