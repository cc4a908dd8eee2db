namespace Mesh.Registration.Internal;

/// <summary>
/// Names the bound address this instance registers at when the server's first one is not it: the sidecar listens on
/// an inbound and an admin port and registers the app at the inbound one. <c>Mesh:Registration:Address</c>/<c>Port</c>
/// still win when set.
/// </summary>
internal interface IRegistrationAddressSource
{
    /// <summary>Returns the address to register (<c>http://host:port</c>), or <see langword="null"/> to use the server's first bound address.</summary>
    Uri? GetAddress();
}
