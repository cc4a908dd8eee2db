using Grpc.Core;

namespace Mesh.Telemetry.Internal;

/// <summary>Status codes boxed once, so tagging a span or a measurement with one allocates nothing.</summary>
internal static class GrpcStatusCodes
{
    private static readonly object[] Boxed = [.. Enumerable.Range(0, 17).Select(code => (object)code)];

    public static object Box(StatusCode code) => (uint)code < (uint)Boxed.Length ? Boxed[(int)code] : (int)code;

    public static object Box(bool value) => value ? True : False;

    private static readonly object True = true;
    private static readonly object False = false;
}
