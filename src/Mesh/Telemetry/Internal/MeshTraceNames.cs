namespace Mesh.Telemetry.Internal;

/// <summary>Span attribute and event names: OpenTelemetry's rpc/server conventions, Mesh's own under <c>mesh.</c>.</summary>
internal static class MeshTraceNames
{
    public const string RpcSystem = "rpc.system";
    public const string RpcService = "rpc.service";
    public const string RpcMethod = "rpc.method";
    public const string RpcGrpcStatusCode = "rpc.grpc.status_code";
    public const string ServerAddress = "server.address";
    public const string ServerPort = "server.port";
    public const string MeshService = "mesh.service";
    public const string AttemptNumber = "mesh.attempt.number";
    public const string AttemptHedge = "mesh.attempt.hedge";
    public const string AttemptBackoff = "mesh.attempt.backoff_ms";
    public const string AttemptOutcome = "mesh.attempt.outcome";

    public const string RetryBudgetExhausted = "mesh.retry_budget_exhausted";
    public const string EndpointEjected = "mesh.endpoint.ejected";
    public const string EndpointReturned = "mesh.endpoint.returned";
    public const string CircuitOpened = "mesh.circuit.opened";
    public const string CircuitHalfOpened = "mesh.circuit.half_opened";
    public const string CircuitClosed = "mesh.circuit.closed";
}
