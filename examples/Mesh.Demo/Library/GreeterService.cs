using Grpc.Core;
using Mesh.Demo.V1;

namespace Mesh.Demo;

/// <summary>The sample gRPC service each instance hosts.</summary>
internal sealed class GreeterService(InstanceName instance) : Greeter.GreeterBase
{
    public override Task<HelloReply> SayHello(HelloRequest request, ServerCallContext context) =>
        Task.FromResult(new HelloReply { Message = $"hello {request.Name}", Instance = instance.Value });
}

/// <summary>The instance's name (a, b, c…), which it also registers as a tag.</summary>
internal sealed record InstanceName(string Value);
