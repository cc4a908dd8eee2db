using System.Net;

namespace Mesh.Tests.Emulator;

/// <summary>What the emulator answered at one step of the replayed session.</summary>
internal sealed record RecordedAnswer(HttpStatusCode Status, string Body, IReadOnlyDictionary<string, string> Headers)
{
    public static async Task<RecordedAnswer> FromAsync(HttpResponseMessage response)
    {
        var headers = response.Headers.Concat(response.Content.Headers)
            .ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
        return new RecordedAnswer(response.StatusCode, await response.Content.ReadAsStringAsync(), headers);
    }
}
