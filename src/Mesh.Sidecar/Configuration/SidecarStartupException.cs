namespace Mesh.Sidecar.Configuration;

/// <summary>The sidecar cannot start as configured (a listen port taken); the message names the key.</summary>
internal sealed class SidecarStartupException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SidecarStartupException(string message, Exception? innerException = null) : base(message, innerException)
    {
    }

    /// <summary>Creates the exception.</summary>
    public SidecarStartupException() : this("The sidecar cannot start.")
    {
    }

    /// <summary>Creates the exception.</summary>
    public SidecarStartupException(string message) : this(message, null)
    {
    }
}
