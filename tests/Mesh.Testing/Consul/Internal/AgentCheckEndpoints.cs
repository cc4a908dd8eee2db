using System.Globalization;
using System.Text;

namespace Mesh.Testing.Consul.Internal;

/// <summary><c>/v1/agent/check/pass|warn|fail/&lt;id&gt;</c> and <c>/v1/agent/check/update/&lt;id&gt;</c>: TTL updates.</summary>
internal static class AgentCheckEndpoints
{
    /// <summary>Consul keeps at most 4 KiB of a check's output.</summary>
    private const int MaxOutput = 4 * 1024;

    public static Task PassAsync(EmulatorRequestContext request, string checkId) => SetAsync(request, checkId, EmulatorStatus.Passing, request.Value("note"));

    public static Task WarnAsync(EmulatorRequestContext request, string checkId) => SetAsync(request, checkId, EmulatorStatus.Warning, request.Value("note"));

    public static Task FailAsync(EmulatorRequestContext request, string checkId) => SetAsync(request, checkId, EmulatorStatus.Critical, request.Value("note"));

    public static async Task UpdateAsync(EmulatorRequestContext request, string checkId)
    {
        using var document = RequestJson.Parse(await request.ReadBodyAsync().ConfigureAwait(false));
        var status = RequestJson.String(document.RootElement, "Status") ?? "";
        if (!EmulatorStatus.IsValid(status))
        {
            throw EmulatorHttpException.BadRequest($"Invalid check status: '{status}'");
        }

        await SetAsync(request, checkId, status, RequestJson.String(document.RootElement, "Output")).ConfigureAwait(false);
    }

    private static Task SetAsync(EmulatorRequestContext request, string checkId, string status, string? output)
    {
        bool updated;
        lock (request.State.Sync)
        {
            updated = request.State.UpdateTtl(checkId, status, Truncate(output ?? ""));
        }

        // What Consul 1.10 answers when the agent has no such TTL check (it forgot it, or it never was one).
        return updated ? request.EmptyAsync() : throw new EmulatorHttpException(500, $"CheckID \"{checkId}\" does not have associated TTL");
    }

    private static string Truncate(string output)
    {
        var bytes = Encoding.UTF8.GetByteCount(output);
        return bytes <= MaxOutput
            ? output
            : string.Create(CultureInfo.InvariantCulture, $"{output[..MaxOutput]} ... (captured {MaxOutput} of {bytes} bytes)");
    }
}
