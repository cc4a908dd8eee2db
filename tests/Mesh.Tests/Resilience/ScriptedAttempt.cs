using Grpc.Core;

namespace Mesh.Tests.Resilience;

/// <summary>What one attempt sent to a <see cref="ScriptedCallInvoker"/> does: answer, fail, stream, or wait for the test.</summary>
internal sealed class ScriptedAttempt
{
    private readonly TaskCompletionSource<string> _response = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource<Metadata>? _heldHeaders;

    private ScriptedAttempt(IReadOnlyList<string> messages, Status status, Metadata trailers, bool pending)
    {
        Messages = messages;
        Status = status;
        Trailers = trailers;
        IsPending = pending;
    }

    public IReadOnlyList<string> Messages { get; }

    public Status Status { get; private set; }

    public Metadata Trailers { get; }

    public bool IsPending { get; }

    public Task<string> Response => _response.Task;

    /// <summary>Gets the response headers: at once, unless <see cref="HoldHeaders"/> holds them back.</summary>
    public Task<Metadata> Headers => _heldHeaders?.Task ?? Task.FromResult(NewHeaders());

    public static ScriptedAttempt Ok(string response = "ok") => new([response], Status.DefaultSuccess, [], pending: false);

    public static ScriptedAttempt Fail(StatusCode code, string? pushbackMs = null, string? detail = null)
    {
        var trailers = new Metadata();
        if (pushbackMs is not null)
        {
            trailers.Add("grpc-retry-pushback-ms", pushbackMs);
        }

        return new([], new Status(code, detail ?? $"scripted {code}"), trailers, pending: false);
    }

    /// <summary>An attempt whose connect is refused, failed as grpc-dotnet fails it: Unavailable, the socket error as its cause.</summary>
    public static ScriptedAttempt Refused() => new([], new Status(
        StatusCode.Unavailable,
        "Error starting gRPC call. HttpRequestException: Connection refused (127.0.0.1:9) SocketException: Connection refused",
        new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused (127.0.0.1:9)")), [], pending: false);

    /// <summary>An attempt that answers only when the test says so (or fails Cancelled when disposed).</summary>
    public static ScriptedAttempt Pending() => new([], Status.DefaultSuccess, [], pending: true);

    /// <summary>A server stream: these messages, then this status.</summary>
    public static ScriptedAttempt Stream(StatusCode end, params string[] messages) =>
        new(messages, end == StatusCode.OK ? Status.DefaultSuccess : new Status(end, $"scripted {end}"), [], pending: false);

    /// <summary>
    /// Holds the headers back until <see cref="ReleaseHeaders"/>, whose caller then runs their readers' continuations
    /// inline: how a test puts one reader's reaction exactly between two steps of another.
    /// </summary>
    public ScriptedAttempt HoldHeaders()
    {
        _heldHeaders = new TaskCompletionSource<Metadata>();
        return this;
    }

    public void ReleaseHeaders() => _heldHeaders!.SetResult(NewHeaders());

    public void Complete(string response)
    {
        Status = Status.DefaultSuccess;
        _response.TrySetResult(response);
    }

    /// <summary>Fails the attempt, unless it already ended: like gRPC, a finished call keeps its status when disposed.</summary>
    public void CompleteWith(StatusCode code, Metadata? trailers = null)
    {
        if (_response.Task.IsCompleted)
        {
            return;
        }

        Status = new Status(code, $"scripted {code}");
        foreach (var entry in trailers ?? [])
        {
            Trailers.Add(entry);
        }

        _response.TrySetException(new RpcException(Status, Trailers));
    }

    private Metadata NewHeaders() => new() { { "attempt", GetHashCode().ToString(System.Globalization.CultureInfo.InvariantCulture) } };

    /// <summary>Settles a finished script at once; a pending one waits for the test.</summary>
    public void Begin()
    {
        if (IsPending)
        {
            return;
        }

        if (Status.StatusCode == StatusCode.OK)
        {
            _response.TrySetResult(Messages.Count > 0 ? Messages[0] : string.Empty);
        }
        else
        {
            _response.TrySetException(new RpcException(Status, Trailers));
        }
    }
}
