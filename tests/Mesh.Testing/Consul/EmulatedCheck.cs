namespace Mesh.Testing.Consul;

/// <summary>A check as the emulator holds it at one moment (see <see cref="ConsulEmulator.Services"/>).</summary>
/// <param name="CheckId">The check id, such as <c>service:web-1</c> or <c>serfHealth</c>.</param>
/// <param name="Name">The display name.</param>
/// <param name="Status"><c>passing</c>, <c>warning</c> or <c>critical</c>.</param>
/// <param name="Output">The last output.</param>
/// <param name="Notes">The notes (a maintenance check's reason).</param>
/// <param name="Type"><c>ttl</c>, <c>http</c>, <c>grpc</c>, <c>tcp</c>, <c>maintenance</c>, or empty for serf.</param>
/// <param name="ServiceId">The owning service's id; empty for node checks.</param>
public sealed record EmulatedCheck(string CheckId, string Name, string Status, string Output, string Notes, string Type, string ServiceId);
