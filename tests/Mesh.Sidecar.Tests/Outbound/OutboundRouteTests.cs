using Mesh.Sidecar.Outbound.Internal;
using Microsoft.AspNetCore.Http;

namespace Mesh.Sidecar.Tests.Outbound;

public sealed class OutboundRouteTests
{
    [Theory]
    [InlineData("payments", "payments")]
    [InlineData("payments:80", "payments")]
    [InlineData("payments.mesh", "payments")]
    [InlineData("PAYMENTS.MESH:8080", "PAYMENTS")]
    [InlineData("payments.v2", "payments.v2")]
    public void ServiceFromHost_NamesTheService(string host, string expected) =>
        Assert.Equal(expected, OutboundRoute.ServiceFromHost(new HostString(host)));

    [Theory]
    [InlineData("")]
    [InlineData("127.0.0.1:4140")]
    [InlineData("[::1]:4140")]
    [InlineData("localhost:4140")]
    [InlineData(".mesh")]
    [InlineData("pay$ments")]
    public void ServiceFromHost_NoServiceName_IsNull(string host) =>
        Assert.Null(OutboundRoute.ServiceFromHost(new HostString(host)));
}
