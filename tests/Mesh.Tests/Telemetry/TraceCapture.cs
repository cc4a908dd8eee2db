using System.Diagnostics;
using Mesh.Telemetry;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Mesh.Tests.Telemetry;

/// <summary>
/// OpenTelemetry with the in-memory exporter, subscribed to Mesh (and any other sources named), plus a root span
/// that the test's calls run under. ActivitySource listeners are process-wide and tests run in parallel, so only
/// spans of this capture's trace are kept.
/// </summary>
internal sealed class TraceCapture : IDisposable
{
    private readonly SynchronizedList _exported = new();
    private readonly TracerProvider _provider;

    public TraceCapture(params string[] extraSources)
    {
        _provider = OpenTelemetry.Sdk.CreateTracerProviderBuilder()
            .AddMeshInstrumentation()
            .AddSource(extraSources)
            .AddInMemoryExporter(_exported)
            .Build()!;
        Root = new Activity("test-root");
        // A plain Activity is unsampled by default; parent-based sampling would then drop every Mesh span under it.
        Root.ActivityTraceFlags = ActivityTraceFlags.Recorded;
        Root.SetIdFormat(ActivityIdFormat.W3C);
        Root.Start();
    }

    public Activity Root { get; }

    public ActivityTraceId TraceId => Root.TraceId;

    /// <summary>The exported spans of this trace, in the order they ended.</summary>
    public IReadOnlyList<Activity> Spans => [.. _exported.Snapshot().Where(a => a.TraceId == TraceId)];

    public IReadOnlyList<Activity> MeshSpans => [.. Spans.Where(a => a.Source.Name == MeshTelemetry.ActivitySourceName)];

    public Activity SingleCall() => Assert.Single(MeshSpans, a => a.Kind == ActivityKind.Client);

    public IReadOnlyList<Activity> AttemptsOf(Activity call) =>
        [.. MeshSpans.Where(a => a.ParentSpanId == call.SpanId).OrderBy(a => (int)a.GetTagItem("mesh.attempt.number")!)];

    public void Dispose()
    {
        Root.Stop();
        _provider.Dispose();
    }

    /// <summary>The exporter's list; spans of parallel tests are added to it from other threads while a test reads.</summary>
    private sealed class SynchronizedList : ICollection<Activity>
    {
        private readonly Lock _lock = new();
        private readonly List<Activity> _items = [];

        public int Count
        {
            get
            {
                lock (_lock)
                {
                    return _items.Count;
                }
            }
        }

        public bool IsReadOnly => false;

        public Activity[] Snapshot()
        {
            lock (_lock)
            {
                return [.. _items];
            }
        }

        public void Add(Activity item)
        {
            lock (_lock)
            {
                _items.Add(item);
            }
        }

        public void Clear()
        {
            lock (_lock)
            {
                _items.Clear();
            }
        }

        public bool Contains(Activity item) => Snapshot().Contains(item);

        public void CopyTo(Activity[] array, int arrayIndex) => Snapshot().CopyTo(array, arrayIndex);

        public bool Remove(Activity item)
        {
            lock (_lock)
            {
                return _items.Remove(item);
            }
        }

        public IEnumerator<Activity> GetEnumerator() => ((IEnumerable<Activity>)Snapshot()).GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
