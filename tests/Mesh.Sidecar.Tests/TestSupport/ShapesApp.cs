using System.Net;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.HealthCheck;
using Mesh.Sidecar.Tests.Grpc;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Mesh.Sidecar.Tests.TestSupport;

/// <summary>
/// A real Kestrel gRPC app on 127.0.0.1 (h2c, a free port) serving the four call shapes and grpc.health.v1, recording
/// what reached it (grpc-timeout, authority, trace context) and when a hanging call was cancelled.
/// </summary>
internal sealed class ShapesApp : Shapes.ShapesBase, IAsyncDisposable
{
    private WebApplication? _app;
    private readonly TaskCompletionSource<DateTime> _hangStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _hangCancelled = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int Port { get; private set; }

    public HealthServiceImpl Health { get; } = new();

    /// <summary>Gets the request headers of the last unary call.</summary>
    public Metadata? LastHeaders { get; private set; }

    /// <summary>Gets the authority of the last unary call.</summary>
    public string? LastAuthority { get; private set; }

    /// <summary>Completes with the call's deadline (from <c>grpc-timeout</c>) when a Hang call arrives.</summary>
    public Task<DateTime> HangStarted => _hangStarted.Task;

    /// <summary>Completes when a Hang call is cancelled.</summary>
    public Task HangCancelled => _hangCancelled.Task;

    public static async Task<ShapesApp> StartAsync()
    {
        var shapes = new ShapesApp();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, o => o.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(shapes);
        builder.Services.AddSingleton(shapes.Health);
        var app = builder.Build();
        app.MapGrpcService<ShapesApp>();
        app.MapGrpcService<HealthServiceImpl>();
        await app.StartAsync();
        shapes._app = app;
        shapes.Port = new Uri(app.Urls.First()).Port;
        shapes.Health.SetStatus("", HealthCheckResponse.Types.ServingStatus.Serving);
        return shapes;
    }

    public override Task<Item> Unary(Item request, ServerCallContext context)
    {
        LastHeaders = context.RequestHeaders;
        LastAuthority = context.Host;
        context.ResponseTrailers.Add("shape-trailer", "unary-done");
        return Task.FromResult(new Item { Text = request.Text });
    }

    public override async Task ServerStream(Item request, IServerStreamWriter<Item> responseStream, ServerCallContext context)
    {
        for (var i = 0; i < request.Count; i++)
        {
            await responseStream.WriteAsync(new Item { Text = $"{request.Text}-{i}", Count = i });
        }
    }

    public override async Task<Item> ClientStream(IAsyncStreamReader<Item> requestStream, ServerCallContext context)
    {
        var texts = new List<string>();
        await foreach (var item in requestStream.ReadAllAsync(context.CancellationToken))
        {
            texts.Add(item.Text);
        }

        return new Item { Text = string.Join(',', texts), Count = texts.Count };
    }

    public override async Task Duplex(IAsyncStreamReader<Item> requestStream, IServerStreamWriter<Item> responseStream, ServerCallContext context)
    {
        await foreach (var item in requestStream.ReadAllAsync(context.CancellationToken))
        {
            await responseStream.WriteAsync(new Item { Text = "echo:" + item.Text });
        }
    }

    public override async Task<Item> Hang(Item request, ServerCallContext context)
    {
        _hangStarted.TrySetResult(context.Deadline);
        try
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, TimeProvider.System, context.CancellationToken);
        }
        catch (OperationCanceledException)
        {
            _hangCancelled.TrySetResult();
            throw;
        }

        return request;
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is { } app)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}
