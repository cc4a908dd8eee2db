using System.Collections.Immutable;
using Mesh.Discovery;

namespace Mesh.Tests.Discovery;

public sealed class ServiceEndpointTests
{
    [Fact]
    public void Equals_SameTagsAndMetaInNewCollections_AreEqual()
    {
        var a = new ServiceEndpoint("web-1", "web", "127.0.0.1", 8080) { Tags = ["v1"], Meta = ImmutableDictionary<string, string>.Empty.Add("k", "v") };
        var b = new ServiceEndpoint("web-1", "web", "127.0.0.1", 8080) { Tags = ["v1"], Meta = ImmutableDictionary<string, string>.Empty.Add("k", "v") };

        Assert.Equal(a, b);
        Assert.NotEqual(a, b with { Tags = ["v2"] });
    }

    [Fact]
    public void Authority_Ipv6Host_IsBracketed()
    {
        Assert.Equal("[::1]:5000", new ServiceEndpoint("a", "s", "::1", 5000).Authority);
        Assert.Equal("10.0.0.1:5000", new ServiceEndpoint("a", "s", "10.0.0.1", 5000).Authority);
    }
}
