using System.Diagnostics;

namespace Mesh.Benchmarks.Proxy;

/// <summary>
/// Checks every path once before load, with clients none of us wrote for gRPC: grpcio (Debian's python3-grpcio, on
/// /usr/bin/python3) must get grpc-status 0 and the echoed message, since h2load only sees the HTTP status (a gRPC
/// error is HTTP 200 too); HTTP must return the backend's 1 KiB. A path that discovery has not reached yet
/// (the two-hop path just after start) gets up to 30 s.
/// </summary>
internal static class PathCheck
{
    private const string GrpcScript = """
        import sys, time, grpc
        request = b'\x0a\x10' + b'abcdefghijklmnop'
        for target in sys.argv[1:]:
            deadline = time.monotonic() + 30
            while True:
                channel = grpc.insecure_channel(target)
                echo = channel.unary_unary('/mesh.testing.v1.EchoService/Echo', request_serializer=None, response_deserializer=None)
                try:
                    reply, call = echo.with_call(request, timeout=5)
                    if call.code() == grpc.StatusCode.OK and b'abcdefghijklmnop' in reply:
                        print(target, 'grpc-status 0,', len(reply), 'bytes')
                        break
                    error = 'unexpected reply %r' % reply
                except grpc.RpcError as e:
                    error = '%s %s' % (e.code(), e.details())
                finally:
                    channel.close()
                if time.monotonic() > deadline:
                    print(target, 'FAILED', error)
                    sys.exit(1)
                time.sleep(0.2)
        """;

    public static async Task CheckAllAsync(IReadOnlyList<ProxyPath> paths, string directory)
    {
        var grpc = paths.Where(p => p.Protocol == "grpc").ToList();
        if (grpc.Count > 0)
        {
            var script = Path.Combine(directory, "grpc_check.py");
            await File.WriteAllTextAsync(script, GrpcScript);
            var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add(script);
            grpc.ForEach(p => start.ArgumentList.Add($"127.0.0.1:{p.Port}"));
            using var python = Process.Start(start)!;
            var output = await python.StandardOutput.ReadToEndAsync() + await python.StandardError.ReadToEndAsync();
            await python.WaitForExitAsync();
            Console.Write(string.Join('\n', output.Split('\n').Select((line, i) => line.Length == 0 ? line : $"check {grpc.ElementAtOrDefault(i)?.Name ?? ""} grpcio: {line}")));
            if (python.ExitCode != 0)
            {
                throw new InvalidOperationException($"a gRPC path failed its check:\n{output}\n{string.Join('\n', grpc.SelectMany(p => p.Proxies).Distinct().Select(p => $"{p.Name}: {p.Output}"))}");
            }
        }

        using var client = new HttpClient();
        foreach (var path in paths.Where(p => p.Protocol == "http"))
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            while (true)
            {
                using var response = await client.GetAsync(new Uri($"http://127.0.0.1:{path.Port}/data"), timeout.Token);
                var body = await response.Content.ReadAsByteArrayAsync(timeout.Token);
                if (response.IsSuccessStatusCode && body.Length == HttpBackend.BodyBytes)
                {
                    Console.WriteLine($"check {path.Name} http: {(int)response.StatusCode}, {body.Length} bytes");
                    break;
                }

                await Task.Delay(200, timeout.Token); // discovery reaching a just-started caller sidecar; bounded by the timeout
            }
        }
    }
}
