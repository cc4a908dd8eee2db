using System.Globalization;
using Grpc.Core;
using Mesh.Testing.Grpc.V1;

namespace Mesh.Benchmarks.Faults;

/// <summary>The Echo service of a <see cref="FaultInstance"/>: names the instance in its reply, after the injected faults.</summary>
internal sealed class FaultEchoService(FaultInstanceState state) : EchoService.EchoServiceBase
{
    public override async Task<EchoReply> Echo(EchoRequest request, ServerCallContext context)
    {
        var number = state.CountCall();
        if (state.DelayMs is var delay and > 0)
        {
            await Task.Delay(delay, context.CancellationToken);
        }

        if (state.FailWith is { } code)
        {
            var trailers = new Metadata();
            if (state.PushbackMs >= 0)
            {
                trailers.Add("grpc-retry-pushback-ms", state.PushbackMs.ToString(CultureInfo.InvariantCulture));
            }

            throw new RpcException(new Status(code, $"{state.Name} is overloaded"), trailers);
        }

        return new EchoReply { Message = request.Message, Instance = state.Name, CallNumber = number };
    }
}
