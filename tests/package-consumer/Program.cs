// A user's app built on the Mesh package: it hosts a gRPC service, registers it in the Local registry, waits until
// discovery sees it and calls it through mesh:///package-consumer. It prints what it saw for the test to check.
using Grpc.Core;
using Mesh.Discovery;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using PackageConsumer.V1;

const string ServiceName = "package-consumer";

var builder = WebApplication.CreateBuilder(args);
// gRPC without TLS needs an HTTP/2-only endpoint; port 0 so parallel runs never collide.
builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(System.Net.IPAddress.Loopback, 0, o => o.Protocols = HttpProtocols.Http2));
builder.Services.AddGrpc();
builder.Services.AddMesh(builder.Configuration);
builder.Services.AddGrpcClient<Greeter.GreeterClient>().AddMesh(ServiceName);

var app = builder.Build();
app.MapGrpcService<GreeterService>();
await app.StartAsync();

using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
using var watch = app.Services.GetRequiredService<IServiceDiscovery>().Watch(ServiceQuery.For(ServiceName));
var snapshot = watch.Current;
while (snapshot.Endpoints.IsEmpty)
{
    snapshot = await watch.WaitForChangeAsync(snapshot.Version, timeout.Token);
}

Console.WriteLine($"discovered: {string.Join(", ", snapshot.Endpoints.Select(e => e.Authority))}");

var client = app.Services.GetRequiredService<Greeter.GreeterClient>();
var reply = await client.SayHelloAsync(new HelloRequest { Name = "package" }, deadline: DateTime.UtcNow.AddSeconds(10), cancellationToken: timeout.Token);
Console.WriteLine($"reply: {reply.Message} (port {reply.Port})");

await app.StopAsync(timeout.Token);
Console.WriteLine("stopped");

internal sealed class GreeterService : Greeter.GreeterBase
{
    public override Task<HelloReply> SayHello(HelloRequest request, ServerCallContext context) =>
        Task.FromResult(new HelloReply
        {
            Message = $"hello {request.Name}",
            Port = context.GetHttpContext().Connection.LocalPort,
        });
}
