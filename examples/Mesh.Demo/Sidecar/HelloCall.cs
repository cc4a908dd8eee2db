namespace Mesh.Demo;

/// <summary>One plain HTTP GET to <c>hello</c> through a sidecar's outbound door, as an app with no Mesh in it makes it.</summary>
internal static class HelloCall
{
    private const string Greeting = "hello from ";

    public static async Task<CallOutcome> SendAsync(HttpClient http, Uri upstream, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.GetAsync(upstream, cancellationToken);
            var body = (await response.Content.ReadAsStringAsync(cancellationToken)).Trim();
            if (!response.IsSuccessStatusCode)
            {
                return CallOutcome.Failure($"HTTP {(int)response.StatusCode}: {body}");
            }

            // "hello from a (python3 http.server, pid 123)": the instance's name is the word after the greeting.
            return CallOutcome.AnsweredBy(body.StartsWith(Greeting, StringComparison.Ordinal) ? body[Greeting.Length..].Split(' ')[0] : body);
        }
        catch (HttpRequestException ex)
        {
            return CallOutcome.Failure(ex.Message);
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return CallOutcome.Failure($"no answer within {http.Timeout.TotalSeconds:0} s");
        }
    }
}
