using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Mesh.Benchmarks.Proxy;

/// <summary>The HTTP/1.1 backend: Kestrel on 127.0.0.1, every GET answered with the same 1 KiB body; it counts what it answers.</summary>
internal sealed class HttpBackend : IAsyncDisposable
{
    /// <summary>The size of the body.</summary>
    public const int BodyBytes = 1024;

    private static readonly byte[] Body = [.. Enumerable.Range(0, BodyBytes).Select(i => (byte)('a' + (i % 26)))];
    private readonly WebApplication _app;
    private long _requests;

    private HttpBackend(WebApplication app) => _app = app;

    /// <summary>Gets the port it listens on.</summary>
    public int Port { get; private set; }

    /// <summary>Gets how many requests it answered.</summary>
    public long Requests => Interlocked.Read(ref _requests);

    public static async Task<HttpBackend> StartAsync()
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http1);
        });
        builder.Services.AddRouting();
        var app = builder.Build();
        var backend = new HttpBackend(app);
        app.Run(context =>
        {
            Interlocked.Increment(ref backend._requests);
            context.Response.ContentType = "text/plain";
            context.Response.ContentLength = BodyBytes;
            return context.Response.Body.WriteAsync(Body, context.RequestAborted).AsTask();
        });
        await app.StartAsync().ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        backend.Port = new Uri(address).Port;
        return backend;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
