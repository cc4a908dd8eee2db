namespace Mesh.Testing.Consul;

/// <summary>A failure <see cref="ConsulEmulator"/> answers with instead of the real answer (see <see cref="ConsulEmulator.Fault"/>).</summary>
public enum EmulatorFault
{
    /// <summary>Answer normally.</summary>
    None = 0,

    /// <summary>500 with Consul's plain-text <c>No cluster leader</c>, what an agent without servers answers.</summary>
    Unavailable = 1,

    /// <summary>503 with plain text, what a proxy or load balancer in front of the agent answers while it is down.</summary>
    ServiceUnavailable = 2,

    /// <summary>200 with Consul's headers and a body that is not valid JSON.</summary>
    Garbage = 3,

    /// <summary>200 with a JSON-looking body of <see cref="ConsulEmulator.OversizedBytes"/> bytes, sent without a length.</summary>
    Oversized = 4,

    /// <summary>Never answer, until the fault is cleared (then answer normally), the client gives up or the emulator stops.</summary>
    Hang = 5,

    /// <summary>Drop the connection without an answer, as a crashing agent does.</summary>
    Disconnect = 6,
}
