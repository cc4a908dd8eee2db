using Mesh.Registration.Internal;
using Mesh.Tests.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Mesh.Tests.Registration;

/// <summary>The two hooks the sidecar uses: a pushed heartbeat, and the address to register at.</summary>
public sealed class RegistrationHooksTests
{
    private static readonly TimeSpan Beat = TimeSpan.FromSeconds(5);
    private readonly SignallingTimeProvider _time = new();

    [Fact]
    public async Task RequestHeartbeat_BeatsAtOnce_WithoutWaitingForTheInterval_ThenKeepsTheInterval()
    {
        var registrar = new RecordingRegistrar(_time, Beat);
        using var service = Create(registrar, address: null);
        await service.StartedAsync(default);
        Assert.Equal("register", await registrar.NextCallAsync());
        await _time.WaitForTimerAsync(d => d == Beat);

        service.RequestHeartbeat();

        Assert.Equal("heartbeat", await registrar.NextCallAsync());
        Assert.Equal(_time.GetUtcNow(), registrar.Calls.Last().At); // no time passed
        await _time.AdvanceWhenScheduledAsync(Beat);
        Assert.Equal("heartbeat", await registrar.NextCallAsync());
        await service.StoppingAsync(default);
    }

    [Fact]
    public async Task RequestHeartbeat_BeforeRegistering_BeatsRightAfterIt()
    {
        var registrar = new RecordingRegistrar(_time, Beat);
        using var service = Create(registrar, address: null);

        service.RequestHeartbeat();
        await service.StartedAsync(default);

        Assert.Equal("register", await registrar.NextCallAsync());
        Assert.Equal("heartbeat", await registrar.NextCallAsync());
        await service.StoppingAsync(default);
    }

    [Fact]
    public async Task AddressSource_IsWhatGetsRegistered_WhenAddressAndPortAreNotConfigured()
    {
        var registrar = new RecordingRegistrar(_time, null);
        using var service = Create(registrar, new Uri("http://127.0.0.1:4143"));

        await service.StartedAsync(default);
        Assert.Equal("register", await registrar.NextCallAsync());

        Assert.Equal(("127.0.0.1", 4143), (registrar.LastRegistration!.Address, registrar.LastRegistration.Port));
        await service.StoppingAsync(default);
    }

    private RegistrationService Create(RecordingRegistrar registrar, Uri? address)
    {
        var options = new MeshOptions();
        options.Registration.ServiceName = "orders";
        options.Registration.DrainDelay = TimeSpan.Zero;
        if (address is null)
        {
            options.Registration.Address = "10.0.0.7";
            options.Registration.Port = 5001;
        }

        return new RegistrationService(registrar, Options.Create(options), new RegistrationHealthSource(null), _time,
            NullLogger<RegistrationService>.Instance, addressSource: new FixedAddress(address));
    }

    private sealed class FixedAddress(Uri? address) : IRegistrationAddressSource
    {
        public Uri? GetAddress() => address;
    }
}
