using System.Diagnostics.CodeAnalysis;
using System.Runtime.ExceptionServices;
using Grpc.Core;
using Mesh.Balancing.Internal;
using Mesh.Internal;

namespace Mesh.Resilience.Internal;

/// <summary>
/// What every policy-driven unary call shares: the inputs of each attempt, and an <see cref="AsyncUnaryCall{T}"/>
/// whose headers, status and trailers are those of the attempt that ended the call (built lazily through the
/// state-taking constructor, so a caller that never asks for headers pays nothing for them).
/// </summary>
internal abstract class UnaryCallBase<TRequest, TResponse> : UnaryCallState
    where TRequest : class
    where TResponse : class
{
    // A field read by reference (see Scope): the scope is 80 bytes, which a property would copy on every use.
    private readonly CallScope _scope;
    private AsyncUnaryCall<TResponse>? _final;
    // The exception that ended the call with a status no attempt produced; a reference, not a Status?, keeps every call's object smaller.
    private RpcException? _synthetic;
    private Task<TResponse>? _response;
    private int _disposed;

    protected UnaryCallBase(CallPolicyEngine engine, CallInvoker inner, Method<TRequest, TResponse> method, string? host, TRequest request, MethodPolicy policy, in CallScope scope)
    {
        Engine = engine;
        Inner = inner;
        Method = method;
        Host = host;
        Request = request;
        Policy = policy;
        _scope = scope;
    }

    protected CallPolicyEngine Engine { get; }

    protected MethodPolicy Policy { get; }

    protected ref readonly CallScope Scope => ref _scope;

    protected bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    public AsyncUnaryCall<TResponse> Start()
    {
        _response = RunAsync();
        return new AsyncUnaryCall<TResponse>(_response, HeadersCallback, StatusCallback, TrailersCallback, DisposeCallback, this);
    }

    protected abstract Task<TResponse> RunAsync();

    /// <summary>Cancels whatever attempts are in flight.</summary>
    protected abstract void DisposeAttempts();

    /// <summary>Sends one attempt: a new call on the inner invoker, hence a fresh load-balancer pick.</summary>
    protected AsyncUnaryCall<TResponse> SendAttempt() => Inner.AsyncUnaryCall(Method, Host, Scope.Options, Request);

    /// <summary>Gets the attempt whose headers, status and trailers the caller sees (the last one sent, for retries).</summary>
    protected AsyncUnaryCall<TResponse>? Final => Volatile.Read(ref _final);

    /// <summary>Makes <paramref name="call"/> the attempt whose headers, status and trailers the caller sees.</summary>
    protected void SetFinal(AsyncUnaryCall<TResponse> call) => Volatile.Write(ref _final, call);

    /// <summary>Ends the call with a status no attempt produced (open breaker, cancelled backoff).</summary>
    protected RpcException Synthetic(Status status) => _synthetic = new RpcException(status);

    /// <summary>The status a caller sees for an exception that ended the call.</summary>
    protected static Status StatusOf(Exception exception) => exception switch
    {
        RpcException rpc => rpc.Status,
        OperationCanceledException => new Status(StatusCode.Cancelled, exception.Message),
        _ => new Status(StatusCode.Unknown, exception.Message),
    };

    /// <summary>The call was cancelled between attempts: by its caller, by disposal, or by the fallback timeout.</summary>
    protected RpcException Cancelled() => Synthetic(
        IsDisposed ? new Status(StatusCode.Cancelled, "gRPC call disposed.")
        : Scope.FallbackExpired ? Engine.FallbackExpiredStatus
        : new Status(StatusCode.Cancelled, "Call canceled by the client."));

    /// <summary>
    /// The status a failed attempt means to the caller. gRPC reports an attempt cut by the fallback timeout as
    /// <see cref="StatusCode.Cancelled"/> (it only sees its token fire); the caller, the retries and the breaker see
    /// <see cref="StatusCode.DeadlineExceeded"/>.
    /// </summary>
    protected Status AttemptStatus(RpcException failure) =>
        failure.StatusCode == StatusCode.Cancelled && !IsDisposed && Scope.FallbackExpired ? Engine.FallbackExpiredStatus : failure.Status;

    /// <summary>
    /// Ends the call with an attempt's failure, as <see cref="AttemptStatus"/> reads it. A refused connect that no
    /// retry followed (none left in the budget or the attempts) is told as Mesh tells it when every instance refuses,
    /// naming the service, rather than as gRPC's raw socket error; the original stays the status's debug exception.
    /// </summary>
    [DoesNotReturn]
    protected void ThrowFailure(RpcException failure)
    {
        var status = AttemptStatus(failure);
        if (status.StatusCode != failure.StatusCode)
        {
            throw Synthetic(status);
        }

        if (status.StatusCode == StatusCode.Unavailable && OutcomeClassifier.IsRefusedConnect(status.DebugException))
        {
            throw Synthetic(new Status(StatusCode.Unavailable, MeshPicker.NoReachableInstances(Engine.ServiceName, RefusedReason).Detail, status.DebugException));
        }

        ExceptionDispatchInfo.Throw(failure);
    }

    private const string RefusedReason = "the instance tried refused its connection, and no retry was left";

    private CallInvoker Inner { get; }

    private Method<TRequest, TResponse> Method { get; }

    private string? Host { get; }

    private TRequest Request { get; }

    protected override Task<Metadata> GetHeadersAsync()
    {
        var response = _response!;
        return response.IsCompleted ? FinalHeadersAsync() : WaitThenHeadersAsync(response);
    }

    // Unary headers and response arrive together; waiting for the end is what makes them the final attempt's.
    private async Task<Metadata> WaitThenHeadersAsync(Task<TResponse> response)
    {
        await ((Task)response).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        return await FinalHeadersAsync().ConfigureAwait(false);
    }

    private Task<Metadata> FinalHeadersAsync()
    {
        if (_synthetic is { } synthetic)
        {
            return Task.FromException<Metadata>(new RpcException(synthetic.Status));
        }

        return _final?.ResponseHeadersAsync ?? Task.FromException<Metadata>(_response!.Exception!.GetBaseException());
    }

    protected override Status GetStatus()
    {
        EnsureCompleted("status");
        return _synthetic?.Status ?? _final?.GetStatus() ?? new Status(StatusCode.Unknown, _response!.Exception?.GetBaseException().Message ?? string.Empty);
    }

    protected override Metadata GetTrailers()
    {
        EnsureCompleted("trailers");
        return _synthetic is null && _final is { } final ? final.GetTrailers() : [];
    }

    private void EnsureCompleted(string what)
    {
        if (!_response!.IsCompleted)
        {
            throw new InvalidOperationException($"Unable to get the {what} because the call is not complete.");
        }
    }

    protected override void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            DisposeAttempts();
        }
    }
}
