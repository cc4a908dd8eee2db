using System.Text;
using Grpc.Core;

namespace Mesh.Tests.Resilience;

/// <summary>Protobuf-free methods: UTF-8 strings on the wire, so no .proto is needed.</summary>
internal static class TestMethods
{
    private static readonly Marshaller<string> Utf8 = Marshallers.Create(Encoding.UTF8.GetBytes, Encoding.UTF8.GetString);

    public static Method<string, string> Unary { get; } = new(MethodType.Unary, "test.Orders", "Create", Utf8, Utf8);

    public static Method<string, string> IdempotentUnary { get; } = new(MethodType.Unary, "test.Orders", "Get", Utf8, Utf8);

    public static Method<string, string> ServerStreaming { get; } = new(MethodType.ServerStreaming, "test.Orders", "Watch", Utf8, Utf8);

    public static Method<string, string> ClientStreaming { get; } = new(MethodType.ClientStreaming, "test.Orders", "Upload", Utf8, Utf8);

    public static Method<string, string> Duplex { get; } = new(MethodType.DuplexStreaming, "test.Orders", "Chat", Utf8, Utf8);
}
