using Mesh.Registration.Internal;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Mesh.DependencyInjection.Internal;

/// <summary>
/// Gives the drain its own time on top of the host's shutdown timeout. The drain runs in <c>StoppingAsync</c>, inside
/// that timeout, before any service stops: left alone, a 10 min <c>DrainDelay</c> would be cut at the host's 30 s while
/// the log said 10 min. Adding (rather than taking the larger of the two) keeps the app's own budget for stopping the
/// server and the other services after the drain.
/// </summary>
internal sealed class HostShutdownTimeout(IOptions<MeshOptions> mesh) : IPostConfigureOptions<HostOptions>
{
    public void PostConfigure(string? name, HostOptions options)
    {
        MeshOptions settings;
        try
        {
            settings = mesh.Value;
        }
        catch (OptionsValidationException)
        {
            // The host is being built; validation fails it at start with the full message.
            return;
        }

        var registration = settings.Registration;
        if (registration.Enabled && !string.IsNullOrWhiteSpace(registration.ServiceName) && options.ShutdownTimeout != Timeout.InfiniteTimeSpan)
        {
            options.ShutdownTimeout += registration.DrainDelay + RegistrationService.DeregisterTimeout;
        }
    }
}
