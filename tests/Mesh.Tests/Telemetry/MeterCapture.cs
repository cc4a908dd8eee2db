using System.Diagnostics.Metrics;
using Mesh.Telemetry;

namespace Mesh.Tests.Telemetry;

/// <summary>Records what one DI container's "Mesh" meter reports (by its <see cref="IMeterFactory"/> scope), ignoring parallel tests' meters.</summary>
internal sealed class MeterCapture : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly List<Measurement> _measurements = [];
    private readonly Dictionary<string, Instrument> _instruments = [];

    public MeterCapture(IMeterFactory scope)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == MeshTelemetry.MeterName && ReferenceEquals(instrument.Meter.Scope, scope))
            {
                lock (_measurements)
                {
                    _instruments[instrument.Name] = instrument;
                }

                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        _listener.Start();
    }

    public Instrument Instrument(string name)
    {
        lock (_measurements)
        {
            return _instruments[name];
        }
    }

    public IReadOnlyList<Measurement> Collect(string name)
    {
        _listener.RecordObservableInstruments();
        lock (_measurements)
        {
            return [.. _measurements.Where(m => m.Name == name)];
        }
    }

    public void Dispose() => _listener.Dispose();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        lock (_measurements)
        {
            _measurements.Add(new(instrument.Name, value, tags.ToArray().ToDictionary(t => t.Key, t => t.Value)));
        }
    }

    public sealed record Measurement(string Name, double Value, Dictionary<string, object?> Tags);
}
