using Mesh.Discovery;

namespace Mesh.Balancing;

/// <summary>An instance left or re-entered a channel's rotation through outlier ejection.</summary>
public sealed class EndpointEjectionEventArgs : EventArgs
{
    /// <summary>Creates the arguments.</summary>
    /// <param name="serviceName">The service.</param>
    /// <param name="endpoint">The instance.</param>
    /// <param name="reason">Why it was ejected.</param>
    /// <param name="timesEjected">The ejection multiplier: this ejection's length is this many base times (capped).</param>
    /// <param name="ejectionTime">How long the ejection lasts.</param>
    /// <param name="timestamp">When it happened.</param>
    public EndpointEjectionEventArgs(string serviceName, ServiceEndpoint endpoint, EjectionReason reason, int timesEjected, TimeSpan ejectionTime, DateTimeOffset timestamp)
    {
        ServiceName = serviceName;
        Endpoint = endpoint;
        Reason = reason;
        TimesEjected = timesEjected;
        EjectionTime = ejectionTime;
        Timestamp = timestamp;
    }

    /// <summary>Gets the service.</summary>
    public string ServiceName { get; }

    /// <summary>Gets the instance.</summary>
    public ServiceEndpoint Endpoint { get; }

    /// <summary>Gets why the instance was ejected (for a return: why the ejection that ended began).</summary>
    public EjectionReason Reason { get; }

    /// <summary>Gets the ejection multiplier (ejections not yet forgiven by healthy time).</summary>
    public int TimesEjected { get; }

    /// <summary>Gets the length of the ejection.</summary>
    public TimeSpan EjectionTime { get; }

    /// <summary>Gets when the ejection or return happened.</summary>
    public DateTimeOffset Timestamp { get; }
}
