using System.Net;

namespace Mesh.Consul;

/// <summary>
/// Consul could not be reached, or answered with an error. Consul answers errors in plain text; that text is kept in
/// <see cref="ResponseText"/> and the message. The ACL token is never part of either.
/// </summary>
public sealed class ConsulException : Exception
{
    /// <summary>Creates an exception for a request that failed.</summary>
    /// <param name="message">A description without secrets.</param>
    /// <param name="statusCode">The HTTP status, or <see langword="null"/> when there was no response.</param>
    /// <param name="responseText">Consul's error text, or <see langword="null"/>.</param>
    /// <param name="innerException">The underlying failure, if any.</param>
    public ConsulException(string message, HttpStatusCode? statusCode = null, string? responseText = null, Exception? innerException = null)
        : base(message, innerException)
    {
        StatusCode = statusCode;
        ResponseText = responseText;
    }

    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">A description without secrets.</param>
    public ConsulException(string message) : this(message, null, null, null)
    {
    }

    /// <summary>Creates an exception with a message and a cause.</summary>
    /// <param name="message">A description without secrets.</param>
    /// <param name="innerException">The underlying failure.</param>
    public ConsulException(string message, Exception innerException) : this(message, null, null, innerException)
    {
    }

    /// <summary>Creates an exception with no message.</summary>
    public ConsulException() : this("Consul request failed.")
    {
    }

    /// <summary>Gets the HTTP status Consul answered, or <see langword="null"/> when it could not be reached.</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>Gets the plain-text body of Consul's error answer, or <see langword="null"/>.</summary>
    public string? ResponseText { get; }

    /// <summary>
    /// Gets a value indicating whether the agent does not know the check or service the request named: the answer a
    /// TTL update gets after an agent restart (Consul answers 500 "does not have associated TTL", newer versions 404).
    /// </summary>
    public bool IsUnknownCheckOrService =>
        StatusCode == HttpStatusCode.NotFound
        || (ResponseText is { } text && (text.Contains("does not have associated TTL", StringComparison.OrdinalIgnoreCase)
                                          || text.Contains("Unknown service", StringComparison.OrdinalIgnoreCase)
                                          || text.Contains("Unknown check", StringComparison.OrdinalIgnoreCase)));
}
