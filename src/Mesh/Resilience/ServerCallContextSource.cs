using Grpc.AspNetCore.Server;
using Microsoft.AspNetCore.Http;

namespace Mesh.Resilience;

/// <summary>
/// Finds the ASP.NET Core gRPC call being handled (through <see cref="IHttpContextAccessor"/> and grpc-dotnet's
/// <see cref="IServerCallContextFeature"/>), the same way grpc-dotnet's client factory propagates deadlines.
/// Requests that are not gRPC calls propagate nothing.
/// </summary>
public sealed class ServerCallContextSource : ICallContextSource
{
    private readonly IHttpContextAccessor _httpContextAccessor;

    /// <summary>Creates the source.</summary>
    /// <param name="httpContextAccessor">The accessor ASP.NET Core registers with <c>AddHttpContextAccessor()</c>.</param>
    public ServerCallContextSource(IHttpContextAccessor httpContextAccessor)
    {
        ArgumentNullException.ThrowIfNull(httpContextAccessor);
        _httpContextAccessor = httpContextAccessor;
    }

    /// <inheritdoc />
    public bool TryGetIncomingCall(out IncomingCallContext context)
    {
        if (_httpContextAccessor.HttpContext?.Features.Get<IServerCallContextFeature>()?.ServerCallContext is { } call)
        {
            context = new IncomingCallContext(call.Deadline, call.CancellationToken);
            return true;
        }

        context = default;
        return false;
    }
}
