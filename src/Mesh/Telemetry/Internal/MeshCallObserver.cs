using Mesh.Resilience;
using Microsoft.Extensions.Logging;

namespace Mesh.Telemetry.Internal;

/// <summary>
/// The observer <c>AddMesh</c> gives every service's call policy: records the call metrics, logs each retry as one
/// Debug line, then passes each event on to the app's own <see cref="ICallPolicyObserver"/>, if it registered one.
/// </summary>
internal sealed partial class MeshCallObserver : ICallPolicyObserver
{
    /// <summary>The log category of the call policy's decisions.</summary>
    public const string LogCategory = "Mesh.Resilience";

    private readonly MeshMetrics _metrics;
    private readonly ICallPolicyObserver? _next;
    private readonly ILogger _logger;

    public MeshCallObserver(MeshMetrics metrics, ICallPolicyObserver? next, ILogger? logger = null)
    {
        _metrics = metrics;
        _next = next;
        _logger = logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
    }

    public bool IsEnabled => _metrics.CallsEnabled || _logger.IsEnabled(LogLevel.Debug) || (_next?.IsEnabled ?? false);

    public void OnAttemptStarted(in AttemptStartedArguments arguments)
    {
        _metrics.AttemptStarted(arguments);
        _next?.OnAttemptStarted(arguments);
    }

    public void OnAttemptFinished(in AttemptFinishedArguments arguments)
    {
        _metrics.AttemptFinished(arguments);
        if (arguments.WillRetry)
        {
            LogRetry(arguments);
        }

        _next?.OnAttemptFinished(arguments);
    }

    private void LogRetry(in AttemptFinishedArguments arguments)
    {
        if (!_logger.IsEnabled(LogLevel.Debug))
        {
            return;
        }

        // The status detail of a transport failure chains the exceptions' messages; keep it to one line.
        var method = arguments.Method.TrimStart('/');
        var detail = arguments.Status.Detail.ReplaceLineEndings(" ");
        Log.RetryingAttempt(_logger, method, arguments.ServiceName, arguments.AttemptNumber, arguments.Status.StatusCode, detail, arguments.Duration.TotalMilliseconds);
    }

    public void OnRetryDenied(in RetryDeniedArguments arguments)
    {
        _metrics.RetryDenied(arguments);
        _next?.OnRetryDenied(arguments);
    }

    public void OnCallFinished(in CallFinishedArguments arguments)
    {
        _metrics.CallFinished(arguments);
        _next?.OnCallFinished(arguments);
    }

    public void OnCircuitStateChanged(in CircuitStateChangedArguments arguments) => _next?.OnCircuitStateChanged(arguments);

    private static partial class Log
    {
        [LoggerMessage(EventId = 6101, EventName = "RetryingAttempt", Level = LogLevel.Debug,
            Message = "{Method} to '{ServiceName}': attempt {Attempt} failed with {StatusCode} after {DurationMs:0.0} ms, retrying: {Detail}")]
        public static partial void RetryingAttempt(ILogger logger, string method, string serviceName, int attempt, Grpc.Core.StatusCode statusCode, string detail, double durationMs);
    }
}
