using Grpc.Core;
using Mesh.Resilience;
using Mesh.Sidecar.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Mesh.Sidecar.Tests.Outbound;

/// <summary>An instance that breaks off its answer mid-stream has failed the call: the caller sees the stream end abruptly, never a short body passed as whole.</summary>
public sealed class OutboundCutResponseTests
{
    [Fact]
    public async Task AnAnswerCutMidStream_AbortsTheCallersStream_AndCountsAgainstTheInstance()
    {
        await using var app = await PythonHttpApp.StartAsync();
        await using var other = await PythonHttpApp.StartAsync(); // ejection never leaves a service with no instance
        var recorder = new PolicyRecorder();
        await using var caller = await CallerSidecar.StartAsync([app.Port, other.Port], new()
        {
            ["Mesh:Services:orders:Balancing:OutlierDetection:ConsecutiveFailures"] = "1",
        }, configure: builder => builder.Services.AddSingleton<ICallPolicyObserver>(recorder));

        // The headers may or may not have reached the caller before the reset: either way its request fails.
        var failure = await Record.ExceptionAsync(async () =>
        {
            using var response = await caller.Http.GetAsync(new Uri("/cut", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead);
            await response.Content.ReadAsByteArrayAsync();
        });

        Assert.True(failure is HttpRequestException or IOException, $"the caller read the short body as complete ({failure?.GetType().Name ?? "no error"})");
        Assert.Equal(StatusCode.Unavailable, (await recorder.NextCallAsync()).StatusCode);
        var cutBy = await app.HitsAsync() == 1 ? app : other;
        Assert.True((await caller.InstanceAsync(cutBy.Port)).GetProperty("ejected").GetBoolean());
    }
}
