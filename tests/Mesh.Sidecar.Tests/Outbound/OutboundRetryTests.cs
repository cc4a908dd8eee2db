using System.Net;
using Mesh.Resilience;
using Mesh.Sidecar.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Mesh.Sidecar.Tests.Outbound;

/// <summary>
/// Retries in the outbound door follow the library's policy (<c>Retry:MaxAttempts</c>, Unavailable retried) and the
/// sidecar's own rule: only a body of at most <c>Mesh:Sidecar:MaxRetryBodyBytes</c> is kept to be sent again.
/// </summary>
public sealed class OutboundRetryTests
{
    [Theory]
    [InlineData(1024, 3)]
    [InlineData(100 * 1024, 1)]
    public async Task IdempotentPut_ToADeadApp_IsRetriedOnlyWhenItsBodyCanBeReplayed(int bodyBytes, int expectedAttempts)
    {
        var app = await PythonHttpApp.StartAsync();
        var attempts = new AttemptCounter();
        await using var mesh = await TwoSidecars.StartAsync([app.Port], configureCaller: builder => builder.Services.AddSingleton<ICallPolicyObserver>(attempts));
        await app.DisposeAsync(); // the callee's sidecar now answers 502 (Unavailable) for every attempt
        using var http = new HttpClient { BaseAddress = mesh.UpstreamUri };

        using var response = await http.PutAsync(new Uri("/upload", UriKind.Relative), new ByteArrayContent(new byte[bodyBytes]));

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode); // the last attempt's answer, passed on
        Assert.Equal(expectedAttempts, attempts.Count);
    }

    private sealed class AttemptCounter : ICallPolicyObserver
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public void OnAttemptStarted(in AttemptStartedArguments arguments)
        {
            if (arguments.ServiceName == "orders")
            {
                Interlocked.Increment(ref _count);
            }
        }
    }
}
