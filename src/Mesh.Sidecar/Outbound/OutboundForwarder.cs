using System.Net;
using Grpc.Core;
using Mesh.Balancing.Internal;
using Mesh.Channels;
using Mesh.Internal;
using Mesh.Resilience.Internal;
using Mesh.Sidecar.Configuration;
using Mesh.Sidecar.Errors;
using Mesh.Sidecar.Inbound;
using Mesh.Sidecar.Outbound.Internal;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Forwarder;

namespace Mesh.Sidecar.Outbound;

/// <summary>
/// The outbound door: a request of the local app to a mesh service goes to one of its instances, chosen by the
/// library's pickers over the library's discovery watch, under the service's call policy (<c>Mesh:Services:&lt;name&gt;</c>:
/// deadline, retries with backoff and pushback, budget, breaker), forwarded by YARP's <see cref="IHttpForwarder"/>
/// over the upstream's own client (<see cref="UpstreamBalancer.Invoker"/>: <see cref="AppHttpClient"/>'s settings with the
/// service's <c>Balancing:ConnectTimeout</c>). Retries happen only while nothing of the answer has reached
/// the caller, and only for bodies of at most <c>Mesh:Sidecar:MaxRetryBodyBytes</c> (<see cref="ReplayableBody"/>).
/// </summary>
internal sealed partial class OutboundForwarder
{
    /// <summary>The longest delay a <see cref="CancellationTokenSource"/> accepts (uint.MaxValue - 1 milliseconds).</summary>
    private static readonly TimeSpan MaxTimerDelay = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    private readonly IHttpForwarder _forwarder;
    private readonly UpstreamBalancers _balancers;
    private readonly IMeshChannels _channels;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly int _maxRetryBody;
    private readonly ForwarderRequestConfig _http1;
    private readonly ForwarderRequestConfig _http2;

    public OutboundForwarder(IHttpForwarder forwarder, UpstreamBalancers balancers, IMeshChannels channels, TimeProvider time, IOptions<SidecarOptions> options, ILogger<OutboundForwarder> logger)
    {
        _forwarder = forwarder;
        _balancers = balancers;
        _channels = channels;
        _time = time;
        _logger = logger;
        var settings = options.Value;
        _maxRetryBody = settings.MaxRetryBodyBytes;
        // The callee's inbound port speaks HTTP/1.1 and h2c; gRPC must stay on HTTP/2 (RequestVersionExact).
        _http2 = new ForwarderRequestConfig { Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact, ActivityTimeout = settings.IdleTimeout };
        _http1 = new ForwarderRequestConfig { Version = HttpVersion.Version11, VersionPolicy = HttpVersionPolicy.RequestVersionOrLower, ActivityTimeout = settings.IdleTimeout };
    }

    /// <summary>
    /// Forwards a request that came in on an outbound listener: to <paramref name="upstream"/> (an upstream port's
    /// service), else to the service its Host/<c>:authority</c> names; a Host that names none fails fast.
    /// </summary>
    public Task RouteAsync(HttpContext context, string? upstream)
    {
        if ((upstream ?? OutboundRoute.ServiceFromHost(context.Request.Host)) is { } service)
        {
            return ForwardAsync(context, service);
        }

        var host = context.Request.Host.HasValue ? context.Request.Host.Value : "(none)";
        return ProxyErrorResponder.RespondAsync(context, ProxyError.NoInstances,
            $"the Host '{host}' names no mesh service: use <service>, <service>:<port> or <service>.mesh, or an upstream port");
    }

    /// <summary>Forwards one request of the local app to <paramref name="serviceName"/>.</summary>
    public async Task ForwardAsync(HttpContext context, string serviceName)
    {
        var request = context.Request;
        var grpc = ProxyErrorResponder.IsGrpc(request);
        var balancer = _balancers.Get(serviceName);
        await balancer.WaitForFirstAnswerAsync(context.RequestAborted).ConfigureAwait(false);
        var engine = _channels.GetPolicy(serviceName).Engine;
        var method = grpc ? engine.Methods.ResolveForwarded(request.Path.Value ?? "/") : engine.Methods.ResolveHttp(IsIdempotent(request.Method));
        var now = _time.GetUtcNow().UtcDateTime;
        // A timeout reaching past DateTime.MaxValue (grpc-timeout allows ~11,400 years) is no deadline at all.
        DateTime? deadline = grpc && GrpcTimeout.Parse(request.Headers[GrpcTimeout.HeaderName]) is { } timeout && timeout < DateTime.MaxValue - now ? now + timeout : null;
        var scope = CallScope.Create(new CallOptions(deadline: deadline, cancellationToken: context.RequestAborted), method.Timeout, fallback: null, _time, contextSource: null);
        var call = new OutboundCall(serviceName, grpc, engine, method, scope);
        // The deadline cancels the forwarding too (a plain HTTP callee has no grpc-timeout to honour).
        // A timer waits at most ~49.7 days: a deadline further away cannot fire while this request lives anyway.
        using var deadlineSource = call.Remaining is { } remaining && remaining < MaxTimerDelay ? new CancellationTokenSource(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero, _time) : null;
        using var cancel = deadlineSource is null ? null : CancellationTokenSource.CreateLinkedTokenSource(scope.CancellationToken, deadlineSource.Token);
        var token = cancel?.Token ?? scope.CancellationToken;
        using var body = request.ContentLength is 0 || HttpMethods.IsGet(request.Method) && request.ContentLength is null && !grpc ? null : new ReplayableBody(request.Body, _maxRetryBody);
        if (body is not null)
        {
            request.Body = body;
        }

        var telemetry = engine.BeginCall(method);
        var final = Status.DefaultSuccess;
        try
        {
            final = await RunAttemptsAsync(context, call, balancer, body, telemetry, deadlineSource, token).ConfigureAwait(false);
        }
        finally
        {
            engine.EndCall(telemetry, method, final);
            scope.Dispose();
        }
    }

    private static async Task<Status> EndDuringBackoffAsync(HttpContext context, OutboundCall call, CancellationTokenSource? deadline)
    {
        if (deadline?.IsCancellationRequested != true)
        {
            return new Status(StatusCode.Cancelled, "the caller cancelled the call");
        }

        var detail = $"no answer from '{call.ServiceName}' within the deadline";
        await ProxyErrorResponder.RespondAsync(context, ProxyError.Timeout, detail).ConfigureAwait(false);
        return new Status(StatusCode.DeadlineExceeded, detail);
    }

    private async Task<Status> RunAttemptsAsync(HttpContext context, OutboundCall call, UpstreamBalancer balancer, ReplayableBody? body, CallTelemetry telemetry, CancellationTokenSource? deadline, CancellationToken token)
    {
        var waited = TimeSpan.Zero;
        OutboundAttempt? last = null;
        for (var number = 1; ; number++)
        {
            if (balancer.Pick(last?.Endpoint, out var unreachable) is not { } endpoint)
            {
                if (unreachable)
                {
                    // Every listed instance refused its last connect (all down, discovery not caught up): Mesh's answer,
                    // not a dial per call to each dead instance; one call probes each again after a second.
                    var refused = MeshPicker.NoReachableInstances(call.ServiceName).Detail;
                    await ProxyErrorResponder.RespondAsync(context, ProxyError.NoInstances, refused).ConfigureAwait(false);
                    return new Status(StatusCode.Unavailable, refused);
                }

                Log.NoInstances(_logger, call.ServiceName, context.Request.Path.Value ?? "/");
                var none = $"no healthy instances of '{call.ServiceName}'";
                await ProxyErrorResponder.RespondAsync(context, ProxyError.NoInstances, none).ConfigureAwait(false);
                return new Status(StatusCode.Unavailable, none);
            }

            if (!call.Engine.TryBeginAttempt(call.Method, number, isHedge: false, waited, telemetry, out var attemptToken))
            {
                if (last is null)
                {
                    await ProxyErrorResponder.RespondAsync(context, ProxyError.CircuitOpen, call.Engine.CircuitOpenStatus.Detail).ConfigureAwait(false);
                    return call.Engine.CircuitOpenStatus;
                }

                // A retry the breaker refuses (it opened during the backoff) ends the call with what the service last
                // answered, as the library's calls and a retry the budget denies do: the caller learns the failure its
                // request met, not that of other calls; the breaker already fails the calls that follow fast.
                return await EndWithFailureAsync(context, call, last, timedOut: false).ConfigureAwait(false);
            }

            var attempt = new OutboundAttempt(call, attemptToken, endpoint, body);
            attempt.Start();
            ForwarderError error;
            try
            {
                error = await _forwarder.SendAsync(context, endpoint.Destination, balancer.Invoker, call.IsGrpc ? _http2 : _http1, attempt, token).ConfigureAwait(false);
            }
            catch
            {
                attempt.Abandon();
                throw;
            }
            finally
            {
                CallPolicyEngine.AttemptSent(attemptToken);
            }

            var timedOut = deadline?.IsCancellationRequested == true;
            // YARP's error feature stays on the context across attempts: read it only after this one failed.
            attempt.Finish(error, timedOut, callerLeft: context.RequestAborted.IsCancellationRequested, refused: error != ForwarderError.None && OutcomeClassifier.IsRefusedConnect(context.Features.Get<IForwarderErrorFeature>()?.Exception));
            if (attempt.Decision == RetryDecision.Retry)
            {
                context.Response.Clear();
                try
                {
                    await Task.Delay(attempt.Delay, _time, token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (token.IsCancellationRequested)
                {
                    // The caller left (or the deadline passed) during the backoff: that, not OK, is how the call ended.
                    return await EndDuringBackoffAsync(context, call, deadline).ConfigureAwait(false);
                }

                waited += attempt.Delay;
                body?.Rewind();
                last = attempt;
                continue;
            }

            return error != ForwarderError.None && !attempt.Answered
                ? await EndWithFailureAsync(context, call, attempt, timedOut).ConfigureAwait(false)
                : attempt.Status;
        }
    }

    /// <summary>Answers the caller with an attempt's failure: no answer (unreachable, or our deadline), or one whose body a retry made us drop.</summary>
    private async Task<Status> EndWithFailureAsync(HttpContext context, OutboundCall call, OutboundAttempt attempt, bool timedOut)
    {
        if (attempt.Answered)
        {
            await ProxyErrorResponder.RespondAnsweredAsync(context, attempt.AnswerStatusCode, attempt.Status.StatusCode, attempt.Status.Detail).ConfigureAwait(false);
            return attempt.Status;
        }

        Log.ForwardFailed(_logger, context.Request.Path.Value ?? "/", call.ServiceName, attempt.Error);
        var kind = timedOut ? ProxyError.Timeout : ProxyError.Unreachable;
        await ProxyErrorResponder.RespondAsync(context, kind, attempt.Status.Detail).ConfigureAwait(false);
        return attempt.Status;
    }

    /// <summary>RFC 9110 §9.2.2: these methods may be repeated with the same effect, so a retry is safe.</summary>
    private static bool IsIdempotent(string method) =>
        HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) || HttpMethods.IsTrace(method)
        || HttpMethods.IsPut(method) || HttpMethods.IsDelete(method);
}
