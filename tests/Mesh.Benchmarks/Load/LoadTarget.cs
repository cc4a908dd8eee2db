using Mesh.Testing.Grpc.V1;

namespace Mesh.Benchmarks.Load;

/// <summary>One way of calling the echo server, measured side by side with the others.</summary>
/// <param name="Name">The short name used in the report.</param>
/// <param name="Description">What the client goes through.</param>
/// <param name="Client">The client the workers share (gRPC clients and channels are thread-safe).</param>
/// <param name="Timeout">A deadline the caller sets on every call (now + timeout), or none.</param>
internal sealed record LoadTarget(string Name, string Description, EchoService.EchoServiceClient Client, TimeSpan? Timeout = null);
