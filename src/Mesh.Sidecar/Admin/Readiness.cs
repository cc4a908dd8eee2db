using Mesh.Registration;
using Mesh.Registration.Internal;
using Mesh.Sidecar.Health;

namespace Mesh.Sidecar.Admin;

/// <summary><c>/ready</c>: the app is reachable (its probe passes) and registered (or registration is off).</summary>
internal static class Readiness
{
    /// <summary>Returns whether the sidecar is ready, and why not.</summary>
    public static (bool Ready, string Reason) Evaluate(AppProber prober, RegistrationService registration)
    {
        var app = prober.Current;
        if (!app.IsPassing)
        {
            return (false, $"the app is not healthy: {app.Output}");
        }

        return registration.State switch
        {
            RegistrationState.Registered => (true, $"ready: the app is healthy and registered as '{registration.Registration?.Id}'"),
            RegistrationState.Disabled => (true, "ready: the app is healthy (registration is off: no Mesh:Registration:ServiceName)"),
            RegistrationState.Pending => (false, "not registered yet: the registry has not been reached"),
            var state => (false, $"shutting down: the registration is {state.ToString().ToLowerInvariant()}"),
        };
    }
}
