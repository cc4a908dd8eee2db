using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Mesh.Sidecar.Tests.Grpc;
using Mesh.Sidecar.Tests.TestSupport;
using OpenTelemetry.Trace;

namespace Mesh.Sidecar.Tests.Admin;

/// <summary>What the admin listener answers, and that it is a door of its own (never forwarded, never traced).</summary>
public sealed class AdminEndpointTests
{
    [Fact]
    public async Task Endpoints_ShowTheRegistrationAtTheInboundPortAndTheAppProbe()
    {
        await using var app = await ShapesApp.StartAsync();
        await using var sidecar = await RunningSidecar.StartAsync(app.Port, new() { ["Mesh:Registration:Tags:0"] = "v1", ["Mesh:Registration:Meta:zone"] = "a" });

        using var document = JsonDocument.Parse(await sidecar.Admin.GetStringAsync(new Uri("/endpoints", UriKind.Relative)));
        var registration = document.RootElement.GetProperty("registration");
        var probe = document.RootElement.GetProperty("app");

        Assert.Equal("Registered", registration.GetProperty("state").GetString());
        Assert.Equal("orders", registration.GetProperty("service").GetString());
        Assert.Equal(sidecar.Listeners.InboundBound!.Port, registration.GetProperty("port").GetInt32());
        Assert.NotEqual(sidecar.Listeners.AdminBound!.Port, registration.GetProperty("port").GetInt32());
        Assert.Equal("v1", registration.GetProperty("tags")[0].GetString());
        Assert.Equal("a", registration.GetProperty("meta").GetProperty("zone").GetString());
        Assert.Equal($"127.0.0.1:{app.Port}", probe.GetProperty("address").GetString());
        Assert.Equal("passing", probe.GetProperty("status").GetString());
        Assert.Equal(0, document.RootElement.GetProperty("upstreams").GetArrayLength());
    }

    [Fact]
    public async Task Config_ShowsEffectiveSettings_NeverTheToken()
    {
        const string Token = "b7e1c0de-secret-acl-token";
        await using var app = await ShapesApp.StartAsync();
        await using var sidecar = await RunningSidecar.StartAsync(app.Port, new()
        {
            ["Mesh:Consul:Token"] = Token,
            ["CONSUL_HTTP_TOKEN"] = Token,
            ["Mesh:Consul:Address"] = $"http://user:{Token}@127.0.0.1:8500",
            ["OTEL_EXPORTER_OTLP_HEADERS"] = $"Authorization=Bearer {Token}",
            ["Mesh:Registry"] = "Local",
            ["Mesh:Sidecar:Upstreams:payments"] = "9191",
        });

        var text = await sidecar.Admin.GetStringAsync(new Uri("/config", UriKind.Relative));
        using var document = JsonDocument.Parse(text);
        var settings = document.RootElement.GetProperty("settings");
        var own = document.RootElement.GetProperty("sidecar");

        Assert.DoesNotContain(Token, text, StringComparison.Ordinal);
        Assert.Equal("(redacted)", settings.GetProperty("Mesh:Consul:Token").GetString());
        Assert.Equal("(redacted)", settings.GetProperty("CONSUL_HTTP_TOKEN").GetString());
        Assert.Equal("http://(redacted)@127.0.0.1:8500", settings.GetProperty("Mesh:Consul:Address").GetString());
        Assert.Equal("Local", document.RootElement.GetProperty("registry").GetString());
        Assert.Equal(app.Port, own.GetProperty("appPort").GetInt32());
        Assert.Equal("http://127.0.0.1:0", own.GetProperty("inbound").GetProperty("configured").GetString());
        Assert.Equal(sidecar.InboundUri.ToString().TrimEnd('/'), own.GetProperty("inbound").GetProperty("bound").GetString());
        Assert.Equal(9191, own.GetProperty("upstreams").GetProperty("payments").GetInt32());
        Assert.Equal("Tcp", own.GetProperty("probe").GetProperty("kind").GetString());
    }

    [Fact]
    public async Task Metrics_PrometheusTextOfMeshKestrelAndTheForwardersClient()
    {
        await using var app = await ShapesApp.StartAsync();
        await using var sidecar = await RunningSidecar.StartAsync(app.Port);
        using var channel = global::Grpc.Net.Client.GrpcChannel.ForAddress(sidecar.InboundUri);
        await new Shapes.ShapesClient(channel).UnaryAsync(new Item { Text = "counted" });

        var metrics = await sidecar.Admin.GetStringAsync(new Uri("/metrics", UriKind.Relative));

        Assert.Contains("mesh_registration_state", metrics, StringComparison.Ordinal);
        Assert.Contains("kestrel_active_connections", metrics, StringComparison.Ordinal);
        Assert.Contains("http_server_request_duration_seconds", metrics, StringComparison.Ordinal);
        Assert.Contains("http_client_request_duration_seconds", metrics, StringComparison.Ordinal); // the forwarder's requests to the app
    }

    [Fact]
    public async Task UnknownAdminPath_Is404_AndAdminPathsOnTheInboundPortGoToTheApp()
    {
        await using var app = await PythonHttpApp.StartAsync();
        await using var sidecar = await RunningSidecar.StartAsync(app.Port, new() { ["Mesh:Registration:Enabled"] = "false" });
        using var inbound = new HttpClient { BaseAddress = sidecar.InboundUri };

        using var unknown = await sidecar.Admin.GetAsync(new Uri("/nope", UriKind.Relative));
        using var forwarded = await inbound.GetAsync(new Uri("/ready", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("not found; the admin endpoints are /healthz /ready /metrics /endpoints /config\n", await unknown.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, forwarded.StatusCode);
        Assert.Equal("not found", await forwarded.Content.ReadAsStringAsync()); // the Python app's answer, not the sidecar's
    }

    [Fact]
    public async Task InboundRequest_IsOneServerSpanNamedAfterTheMethod_AdminRequestsAreNotTraced()
    {
        var spans = new List<Activity>();
        await using var app = await ShapesApp.StartAsync();
        // An exporter added in code comes with a sampler: with neither configured the sidecar starts no trace.
        await using var sidecar = await RunningSidecar.StartAsync(app.Port, new() { ["OTEL_TRACES_SAMPLER"] = "always_on" }, configure: builder =>
            builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(spans)));
        using var channel = global::Grpc.Net.Client.GrpcChannel.ForAddress(sidecar.InboundUri);

        await new Shapes.ShapesClient(channel).UnaryAsync(new Item { Text = "traced" });
        await sidecar.Admin.GetStringAsync(new Uri("/ready", UriKind.Relative));
        var port = sidecar.Listeners.InboundBound!.Port;
        var adminPort = sidecar.Listeners.AdminBound!.Port;
        await sidecar.DisposeAsync(); // flushes the exporter

        // The app, the test's clients and other tests' sidecars live in this process too: pick this sidecar's by door and port.
        var server = Assert.Single(spans, s => s.Kind == ActivityKind.Server && (string?)s.GetTagItem("mesh.sidecar.door") == "inbound"
            && s.GetTagItem("server.port") is int p && p == port);
        var client = Assert.Single(spans, s => s.Kind == ActivityKind.Client && s.ParentSpanId == server.SpanId);
        Assert.DoesNotContain(spans, s => s.Kind == ActivityKind.Server && s.GetTagItem("server.port") is int p && p == adminPort);
        Assert.Equal("mesh.sidecar.testing.v1.Shapes/Unary", server.DisplayName);
        Assert.Equal("grpc", server.GetTagItem("rpc.system"));
        Assert.Equal("mesh.sidecar.testing.v1.Shapes", server.GetTagItem("rpc.service"));
        Assert.Equal("inbound", server.GetTagItem("mesh.sidecar.door"));
        Assert.Equal(server.TraceId, client.TraceId); // the request to the app is a child: the app's span hangs under it
        Assert.Contains(spans, s => s.Kind == ActivityKind.Server && s.ParentSpanId == client.SpanId); // the app's own span
    }
}
