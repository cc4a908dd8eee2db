using System.Net;
using System.Text.Json;
using Mesh.Sidecar.Tests.TestSupport;

namespace Mesh.Sidecar.Tests.Outbound;

/// <summary>Outlier ejection through the outbound door: an instance that answers 503 is ejected, <c>/endpoints</c> says until when, and calls go to the others.</summary>
public sealed class OutboundEjectionTests
{
    [Fact]
    public async Task AnInstanceAnswering503_IsEjected_AndCallsGoToTheOthers()
    {
        var apps = new[] { await PythonHttpApp.StartAsync(failing: true), await PythonHttpApp.StartAsync(), await PythonHttpApp.StartAsync() };
        try
        {
            await using var caller = await CallerSidecar.StartAsync([.. apps.Select(a => a.Port)], new()
            {
                ["Mesh:Services:orders:Balancing:OutlierDetection:ConsecutiveFailures"] = "2",
            });
            var failing = apps[0];
            var calls = 0;
            JsonElement instance;
            do
            {
                for (var i = 0; i < 5; i++, calls++)
                {
                    // Each call still succeeds: its retry goes to another instance.
                    using var response = await caller.Http.GetAsync(new Uri("/hello", UriKind.Relative));
                    Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                }

                instance = await caller.InstanceAsync(failing.Port);
            }
            while (!instance.GetProperty("ejected").GetBoolean() && calls < 200);

            var hitsAtEjection = await failing.HitsAsync();
            for (var i = 0; i < 20; i++)
            {
                using var response = await caller.Http.GetAsync(new Uri("/hello", UriKind.Relative));
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }

            Assert.True(instance.GetProperty("ejected").GetBoolean(), $"not ejected after {calls} calls");
            Assert.True(instance.GetProperty("ejectedUntil").GetDateTimeOffset() > DateTimeOffset.UtcNow);
            Assert.Equal(hitsAtEjection, await failing.HitsAsync());
        }
        finally
        {
            foreach (var app in apps)
            {
                await app.DisposeAsync();
            }
        }
    }
}
