using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;

namespace Mesh.Sidecar.Health.Internal;

/// <summary>Healthy when the app's standard gRPC health service answers SERVING for the configured service.</summary>
internal sealed class GrpcAppProbe : IAppProbe, IDisposable
{
    private readonly GrpcChannel _channel;
    private readonly Grpc.Health.V1.Health.HealthClient _client;
    private readonly string _service;

    public GrpcAppProbe(int port, string service)
    {
        _service = service;
        _channel = GrpcChannel.ForAddress($"http://127.0.0.1:{port}", new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler { UseProxy = false, EnableMultipleHttp2Connections = false },
        });
        _client = new Grpc.Health.V1.Health.HealthClient(_channel);
        Description = $"gRPC health check of '{service}' at 127.0.0.1:{port}";
    }

    public string Description { get; }

    public async Task<ProbeResult> ProbeAsync(CancellationToken cancellationToken)
    {
        try
        {
            var reply = await _client.CheckAsync(new HealthCheckRequest { Service = _service }, cancellationToken: cancellationToken).ConfigureAwait(false);
            return new(reply.Status == HealthCheckResponse.Types.ServingStatus.Serving, $"{Description}: {reply.Status}");
        }
        catch (RpcException ex) when (ex.StatusCode != StatusCode.Cancelled || !cancellationToken.IsCancellationRequested)
        {
            return new(false, $"{Description}: {ex.StatusCode} {ex.Status.Detail}");
        }
    }

    public void Dispose() => _channel.Dispose();
}
