using Grpc.Core;

namespace Mesh.Resilience.Internal;

/// <summary>
/// A server-streaming call retried only while nothing of the response has reached the caller: the attempt commits at
/// its first response message (or clean end), or when the caller reads its response headers. Until then a retriable
/// failure is retried like a unary call; after it, failures pass through untouched. Once committed and recorded,
/// <see cref="MoveNext"/> hands straight through to the attempt's stream, so messages cost nothing extra, unless the
/// stream's end must be seen (telemetry, or a linked token source to release: the call is over at its end, disposed
/// or not).
/// </summary>
internal sealed class RetryingServerStreamingCall<TRequest, TResponse> : IAsyncStreamReader<TResponse>
    where TRequest : class
    where TResponse : class
{
    private readonly Lock _lock = new();
    private readonly CallPolicyEngine _engine;
    private readonly CallInvoker _inner;
    private readonly Method<TRequest, TResponse> _method;
    private readonly string? _host;
    private readonly TRequest _request;
    private readonly MethodPolicy _policy;
    private readonly CallScope _scope;
    private Task<Attempt> _attempt = null!;
    private Attempt? _current;
    private Attempt? _final;

    // How the call ended when no attempt is its answer: circuit open, cancelled in a backoff, or a retry the breaker
    // refused (then the failure of the attempt before it, trailers and all).
    private RpcException? _endedWith;
    private bool _disposed;
    private CallTelemetry _telemetry;
    private bool _watchEnd;
    private int _ended;

    public RetryingServerStreamingCall(CallPolicyEngine engine, CallInvoker inner, Method<TRequest, TResponse> method, string? host, TRequest request, MethodPolicy policy, CallScope scope)
    {
        _engine = engine;
        _inner = inner;
        _method = method;
        _host = host;
        _request = request;
        _policy = policy;
        _scope = scope;
    }

    public TResponse Current => _final is { } final ? final.Call.ResponseStream.Current : default!;

    public AsyncServerStreamingCall<TResponse> Start()
    {
        _telemetry = _engine.BeginCall(_policy);
        _watchEnd = _telemetry.IsObserved || _scope.OwnsTokenSource;
        try
        {
            if (Send(1, TimeSpan.Zero) is { } first)
            {
                _attempt = Task.FromResult(first);
            }
            else
            {
                // The breaker is open: the call exists but fails at its first read, without touching the network.
                _endedWith = _engine.CircuitOpenException();
                _attempt = Task.FromException<Attempt>(_endedWith);
                End(_endedWith.Status);
            }
        }
        finally
        {
            // Start returns synchronously: the caller's span must be current again when it gets the call.
            _telemetry.RestoreCurrent();
        }

        return new AsyncServerStreamingCall<TResponse>(
            this,
            static state => ((RetryingServerStreamingCall<TRequest, TResponse>)state).HeadersAsync(),
            static state => ((RetryingServerStreamingCall<TRequest, TResponse>)state).GetStatus(),
            static state => ((RetryingServerStreamingCall<TRequest, TResponse>)state).GetTrailers(),
            static state => ((RetryingServerStreamingCall<TRequest, TResponse>)state).Dispose(),
            this);
    }

    public Task<bool> MoveNext(CancellationToken cancellationToken)
    {
        var final = Volatile.Read(ref _final);
        if (final is { Settled: true })
        {
            return _watchEnd ? MoveNextObservedAsync(final, cancellationToken) : final.Call.ResponseStream.MoveNext(cancellationToken);
        }

        return MoveNextSlowAsync(cancellationToken);
    }

    /// <summary>A read after the attempt committed, when the call's end must be seen (telemetry, a token source to release).</summary>
    private async Task<bool> MoveNextObservedAsync(Attempt final, CancellationToken cancellationToken)
    {
        try
        {
            var hasMessage = await final.Call.ResponseStream.MoveNext(cancellationToken).ConfigureAwait(false);
            if (!hasMessage)
            {
                End(final.Call.GetStatus());
            }

            return hasMessage;
        }
        catch (RpcException ex)
        {
            End(ex.Status);
            throw;
        }
    }

    private async Task<bool> MoveNextSlowAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Attempt attempt;
            try
            {
                attempt = Volatile.Read(ref _final) ?? await _attempt.ConfigureAwait(false);
            }
            catch (RpcException ex)
            {
                End(ex.Status);
                throw;
            }

            bool hasMessage;
            try
            {
                hasMessage = await attempt.Call.ResponseStream.MoveNext(cancellationToken).ConfigureAwait(false);
            }
            catch (RpcException ex)
            {
                if (!TryRetry(attempt, ex))
                {
                    End(ex.Status);
                    throw;
                }

                continue;
            }
            catch
            {
                Abandon(attempt);
                throw;
            }

            if (!TryCommit(attempt, settle: true))
            {
                // A retry already replaced this attempt: the call's answer is the retry's.
                continue;
            }

            if (!hasMessage)
            {
                End(attempt.Call.GetStatus());
            }

            return hasMessage;
        }
    }

    private async Task<Metadata> HeadersAsync()
    {
        while (true)
        {
            var attempt = Volatile.Read(ref _final) ?? await _attempt.ConfigureAwait(false);
            try
            {
                var headers = await attempt.Call.ResponseHeadersAsync.ConfigureAwait(false);

                // Once the caller has this attempt's headers, switching attempts would show it two responses. But the
                // message reader may have seen the attempt fail (right after its headers) and sent a retry already:
                // then these headers are a dead attempt's, and the caller gets the retry's.
                if (TryCommit(attempt, settle: false))
                {
                    return headers;
                }
            }
            catch (RpcException ex) when (TryRetry(attempt, ex))
            {
            }
        }
    }

    /// <summary>Sends an attempt; <see langword="null"/> when the breaker refuses it.</summary>
    private Attempt? Send(int number, TimeSpan waited)
    {
        if (!_engine.TryBeginAttempt(_policy, number, isHedge: false, waited, _telemetry, out var token))
        {
            return null;
        }

        AsyncServerStreamingCall<TResponse> call;
        try
        {
            call = _inner.AsyncServerStreamingCall(_method, _host, _scope.Options, _request);
        }
        catch
        {
            _engine.AbandonAttempt(token, _policy);
            throw;
        }
        finally
        {
            CallPolicyEngine.AttemptSent(token);
        }

        var attempt = new Attempt(call, token);
        bool disposed;
        lock (_lock)
        {
            _current = attempt;
            disposed = _disposed;
        }

        if (disposed)
        {
            call.Dispose();
        }

        return attempt;
    }

    /// <summary>Records a failed attempt; returns whether a next attempt is (already) on its way.</summary>
    private bool TryRetry(Attempt attempt, RpcException failure)
    {
        lock (_lock)
        {
            // Both readers (headers and messages) may see one attempt fail; only the first decides.
            if (attempt.RetryScheduled || attempt.Settled)
            {
                return attempt.RetryScheduled;
            }

            attempt.Settled = true;
            var mayRetry = !_disposed && _final is null;
            if (_engine.EndAttempt(attempt.Token, _policy, _scope, failure.Status, failure.Trailers, mayRetry, out var delay) != RetryDecision.Retry)
            {
                _final ??= attempt;
                return false;
            }

            attempt.RetryScheduled = true;
            _attempt = NextAsync(attempt, failure, delay);
            return true;
        }
    }

    private async Task<Attempt> NextAsync(Attempt failed, RpcException failure, TimeSpan delay)
    {
        // Off TryRetry's stack and lock: whatever disposing or sending runs inline (a reader woken by the failed
        // attempt's headers, say) must find _attempt already naming this task, or it would take the failed attempt
        // for the current one.
        await Task.CompletedTask.ConfigureAwait(ConfigureAwaitOptions.ForceYielding);
        failed.Call.Dispose();
        try
        {
            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, _engine.TimeProvider, _scope.CancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
        }

        if (_disposed || _scope.CancellationToken.IsCancellationRequested)
        {
            _endedWith = new RpcException(new Status(StatusCode.Cancelled, _disposed ? "gRPC call disposed." : "Call canceled by the client."));
            throw _endedWith;
        }

        // A retry the breaker refuses (it opened during the backoff) ends the call with what the service last
        // answered, as a budget denial does; circuit open is for calls refused before anything was sent.
        return Send(failed.Token.Number + 1, delay) ?? throw (_endedWith = failure);
    }

    /// <summary>Makes the attempt the call's answer, unless a retry replaced it; with <paramref name="settle"/>, records its success.</summary>
    private bool TryCommit(Attempt attempt, bool settle)
    {
        var record = false;
        lock (_lock)
        {
            if (attempt.RetryScheduled)
            {
                return false;
            }

            _final ??= attempt;
            if (settle && !attempt.Settled)
            {
                attempt.Settled = record = true;
            }
        }

        if (record)
        {
            _engine.EndAttempt(attempt.Token, _policy, _scope, Status.DefaultSuccess, null, mayRetry: false, out _);
        }

        return true;
    }

    private void Abandon(Attempt attempt)
    {
        lock (_lock)
        {
            if (attempt.Settled)
            {
                return;
            }

            attempt.Settled = true;
            _final ??= attempt;
        }

        _engine.AbandonAttempt(attempt.Token, _policy);
    }

    private Status GetStatus() =>
        _endedWith?.Status ?? _final?.Call.GetStatus() ?? throw new InvalidOperationException("Unable to get the status because the call is not complete.");

    private Metadata GetTrailers() =>
        _endedWith?.Trailers ?? _final?.Call.GetTrailers() ?? throw new InvalidOperationException("Unable to get the trailers because the call is not complete.");

    private void Dispose()
    {
        Attempt? current;
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            current = _current;
        }

        if (current is not null)
        {
            current.Call.Dispose();
            Abandon(current);
        }

        End(DisposedStatus);
    }

    private static readonly Status DisposedStatus = new(StatusCode.Cancelled, "gRPC call disposed.");

    /// <summary>
    /// Ends the call once: at the stream's end, its failure, or its disposal, whichever is first. Its telemetry ends,
    /// and its scope lets go of the caller's token then, not at a disposal that grpc-dotnet does not require.
    /// </summary>
    private void End(Status status)
    {
        if (Interlocked.Exchange(ref _ended, 1) != 0)
        {
            return;
        }

        if (_telemetry.IsObserved)
        {
            _engine.EndCall(_telemetry, _policy, status);
        }

        _scope.Dispose();
    }

    private sealed class Attempt(AsyncServerStreamingCall<TResponse> call, AttemptToken token)
    {
        public AsyncServerStreamingCall<TResponse> Call { get; } = call;

        public AttemptToken Token { get; } = token;

        /// <summary>Gets or sets whether the attempt's outcome was recorded (once, under the call's lock).</summary>
        public bool Settled { get; set; }

        /// <summary>Gets or sets whether a next attempt replaces this failed one.</summary>
        public bool RetryScheduled { get; set; }
    }
}
