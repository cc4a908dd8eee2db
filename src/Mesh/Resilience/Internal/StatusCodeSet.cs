using Grpc.Core;

namespace Mesh.Resilience.Internal;

/// <summary>A set of gRPC status codes as a bit mask: the per-attempt checks cost one AND, no hashing.</summary>
internal readonly struct StatusCodeSet
{
    private readonly uint _bits;

    private StatusCodeSet(uint bits) => _bits = bits;

    public static StatusCodeSet Empty => default;

    public static StatusCodeSet From(IEnumerable<StatusCode> codes)
    {
        uint bits = 0;
        foreach (var code in codes)
        {
            if ((uint)code < 32)
            {
                bits |= 1u << (int)code;
            }
        }

        return new StatusCodeSet(bits);
    }

    public bool Contains(StatusCode code) => (uint)code < 32 && (_bits & (1u << (int)code)) != 0;

    public StatusCodeSet Union(StatusCodeSet other) => new(_bits | other._bits);
}
