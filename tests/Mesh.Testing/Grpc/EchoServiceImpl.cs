using Grpc.Core;
using Mesh.Testing.Grpc.V1;

namespace Mesh.Testing.Grpc;

/// <summary>The echo service of one <see cref="TestGrpcServer"/>: answers with the instance's name, after its faults.</summary>
internal sealed class EchoServiceImpl(TestGrpcServer server) : EchoService.EchoServiceBase
{
    public override async Task<EchoReply> Echo(EchoRequest request, ServerCallContext context)
    {
        var number = await server.EnterCallAsync(request, context);
        return new EchoReply { Message = request.Message, Instance = server.Name, CallNumber = number };
    }

    public override async Task ServerStream(EchoRequest request, IServerStreamWriter<EchoReply> responseStream, ServerCallContext context)
    {
        var number = await server.EnterCallAsync(request, context);
        for (var i = 0; i < Math.Max(1, request.Count); i++)
        {
            await responseStream.WriteAsync(new EchoReply { Message = request.Message, Instance = server.Name, CallNumber = number, Index = i });
        }
    }
}
