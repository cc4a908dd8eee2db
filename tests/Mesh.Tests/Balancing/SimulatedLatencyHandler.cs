using Microsoft.Extensions.Time.Testing;

namespace Mesh.Tests.Balancing;

/// <summary>
/// Sits under gRPC's balancer handler (which times each call on the balancer's clock) and, when an answer arrives,
/// advances that fake clock by the latency the test assigns to the instance that answered: real servers and real
/// calls, with latencies the load model sees exactly, whatever the machine's load.
/// </summary>
internal sealed class SimulatedLatencyHandler(FakeTimeProvider clock, Func<Uri, TimeSpan> latencyFor) : DelegatingHandler(new SocketsHttpHandler { EnableMultipleHttp2Connections = true })
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        // gRPC starts the call's tracker once this handler has been entered and completes it after it returns.
        clock.Advance(latencyFor(request.RequestUri!));
        return response;
    }
}
