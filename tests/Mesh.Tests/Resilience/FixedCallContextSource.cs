using Mesh.Resilience;

namespace Mesh.Tests.Resilience;

/// <summary>Code that always runs inside the same incoming call.</summary>
internal sealed class FixedCallContextSource(IncomingCallContext context) : ICallContextSource
{
    public bool TryGetIncomingCall(out IncomingCallContext incoming)
    {
        incoming = context;
        return true;
    }
}
