using Grpc.Core;
using Mesh.Internal;

namespace Mesh.Tests.Internal;

/// <summary>The one classifier both front doors use: what counts as a failure, and of which kind.</summary>
public sealed class OutcomeClassifierTests
{
    [Theory]
    [InlineData(200, "14", StatusCode.Unavailable)] // trailers-only gRPC failure
    [InlineData(200, "0", StatusCode.OK)]
    [InlineData(200, "5", StatusCode.NotFound)]
    [InlineData(200, "junk", StatusCode.Unknown)]
    [InlineData(200, "99", StatusCode.Unknown)]
    [InlineData(502, null, StatusCode.Unavailable)]
    [InlineData(503, null, StatusCode.Unavailable)]
    [InlineData(504, null, StatusCode.Unavailable)]
    [InlineData(500, null, StatusCode.Unknown)]
    [InlineData(503, "0", StatusCode.OK)] // a grpc-status wins over the HTTP status
    public void Classify_StatusAndGrpcStatus_GivesTheCode(int http, string? grpc, StatusCode expected) =>
        Assert.Equal(expected, OutcomeClassifier.Classify(http, grpc));

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(404)]
    [InlineData(429)]
    public void Classify_ClientError_IsNeverAFailure(int http) =>
        Assert.Equal(StatusCode.OK, OutcomeClassifier.Classify(http, null));

    [Fact]
    public void FromHeaders_TrailersOnlyResponse_ReadsGrpcStatusFromTheHeaders()
    {
        using var response = new HttpResponseMessage(System.Net.HttpStatusCode.OK);
        response.Headers.TryAddWithoutValidation("grpc-status", "14");

        Assert.Equal(StatusCode.Unavailable, OutcomeClassifier.FromHeaders(response));
    }
}
