using System.Net;
using System.Text;

namespace Mesh.Tests.Consul;

/// <summary>The real Consul responses in tests/consul-samples, copied beside the test assembly.</summary>
internal static class ConsulSamples
{
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "consul-samples");

    public static string Read(string name) => File.ReadAllText(Path.Combine(Directory, name));

    /// <summary>Builds the recorded response: body plus the recorded headers file, when there is one.</summary>
    public static HttpResponseMessage Response(string bodyFile, string? headersFile = null, HttpStatusCode status = HttpStatusCode.OK)
    {
        var response = new HttpResponseMessage(status) { Content = new StringContent(Read(bodyFile), Encoding.UTF8, "application/json") };
        if (headersFile is not null)
        {
            foreach (var line in Read(headersFile).Split('\n').Skip(1))
            {
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                if (colon > 0)
                {
                    response.Headers.TryAddWithoutValidation(line[..colon].Trim(), line[(colon + 1)..].Trim());
                }
            }
        }

        return response;
    }

    /// <summary>The plain error text of an error-*.txt sample (the part before " &lt;- ").</summary>
    public static string ErrorText(string name)
    {
        var text = Read(name);
        var marker = text.IndexOf(" <- ", StringComparison.Ordinal);
        return (marker >= 0 ? text[..marker] : text).Trim();
    }
}
