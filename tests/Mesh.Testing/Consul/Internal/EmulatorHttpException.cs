namespace Mesh.Testing.Consul.Internal;

/// <summary>An error answer in Consul's style: a status code and a plain-text body.</summary>
internal sealed class EmulatorHttpException(int statusCode, string text) : Exception(text)
{
    public int StatusCode { get; } = statusCode;

    public static EmulatorHttpException BadRequest(string text) => new(400, text);
}
