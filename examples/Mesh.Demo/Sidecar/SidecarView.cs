using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;

namespace Mesh.Demo;

/// <summary>
/// The caller's sidecar's view of <c>hello</c>, read from its admin port: <c>/endpoints</c> (the instances its
/// balancer holds, and which it ejects) and <c>/metrics</c> (<c>mesh_client_retries_total</c>). The admin API is
/// plain HTTP, so the view polls it every 50 ms while the act runs; an ejection lasts far longer than that.
/// </summary>
internal sealed class SidecarView(HelloInstance caller, Func<string, string> nameOfAddress) : ICallerView, IAsyncDisposable
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);
    private readonly HttpClient _admin = new() { Timeout = TimeSpan.FromSeconds(5) };
    private readonly CancellationTokenSource _stop = new();
    private readonly SortedSet<string> _ejected = new(StringComparer.Ordinal);
    private ImmutableHashSet<string> _instances = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _poll = Task.CompletedTask;
    private double _retriesReported;

    public string Name => "sidecar " + caller.Name;

    public void Start() => _poll = Task.Run(PollAsync);

    public async Task WaitForInstancesAsync(IReadOnlySet<string> ids, CancellationToken cancellationToken)
    {
        while (true)
        {
            var changed = Volatile.Read(ref _changed).Task; // before the read, so a change in between is not missed
            if (Volatile.Read(ref _instances).SetEquals(ids))
            {
                return;
            }

            await changed.WaitAsync(cancellationToken);
        }
    }

    /// <summary>What the sidecar did since the last note (retries, ejections), or null when nothing.</summary>
    public async Task<string?> NoteAsync()
    {
        var metrics = await _admin.GetStringAsync(Admin("/metrics"));
        var retries = metrics.Split('\n')
            .Where(l => l.StartsWith("mesh_client_retries_total", StringComparison.Ordinal))
            .Sum(l => double.Parse(l[(l.LastIndexOf('}') + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture));
        var notes = new List<string>();
        if (retries > _retriesReported)
        {
            notes.Add($"{retries - _retriesReported:0} retries on another instance");
        }

        _retriesReported = retries;
        lock (_ejected)
        {
            if (_ejected.Count > 0)
            {
                notes.Add($"ejected {string.Join(", ", _ejected)}");
                _ejected.Clear();
            }
        }

        return notes.Count == 0 ? null : $"{Name}: {string.Join(", ", notes)}";
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _poll;
        _stop.Dispose();
        _admin.Dispose();
    }

    private async Task PollAsync()
    {
        using var timer = new PeriodicTimer(PollInterval);
        try
        {
            do
            {
                try
                {
                    await PollOnceAsync();
                }
                catch (Exception ex) when (ex is HttpRequestException || ex is TaskCanceledException && !_stop.IsCancellationRequested)
                {
                    // Not answering this once (a loaded machine): the next tick asks again.
                }
            }
            while (await timer.WaitForNextTickAsync(_stop.Token));
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
    }

    private async Task PollOnceAsync()
    {
        using var endpoints = JsonDocument.Parse(await _admin.GetStringAsync(Admin("/endpoints"), _stop.Token));
        var instances = endpoints.RootElement.GetProperty("upstreams").EnumerateArray()
            .First(u => u.GetProperty("service").GetString() == DemoSettings.HelloServiceName)
            .GetProperty("instances").EnumerateArray().ToList();
        lock (_ejected)
        {
            _ejected.UnionWith(instances.Where(i => i.GetProperty("ejected").GetBoolean()).Select(i => nameOfAddress(i.GetProperty("address").GetString()!)));
        }

        Volatile.Write(ref _instances, instances.Select(i => i.GetProperty("id").GetString()!).ToImmutableHashSet(StringComparer.Ordinal));
        Interlocked.Exchange(ref _changed, new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }

    private Uri Admin(string path) => new($"http://127.0.0.1:{caller.AdminPort}{path}");
}
