using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Sub2Api.FunctionalTests.Infrastructure;
using Sub2Api.Observability;

namespace Sub2Api.FunctionalTests.Observability;

/// <summary>One measurement: the instrument's name, the value and its labels.</summary>
internal sealed record RecordedMeasurement(string Instrument, double Value, IReadOnlyDictionary<string, string?> Tags)
{
    public string? Tag(string name) => Tags.GetValueOrDefault(name);
}

/// <summary>
/// Listens to the instruments of ONE app's <see cref="GatewayMetrics.Meter"/> (the object, not the name), so tests
/// running in parallel in this process, each with its own app and meter, never see each other's measurements.
/// </summary>
internal sealed class MeterRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<RecordedMeasurement> _measurements = new();

    public MeterRecorder(Sub2ApiFactory app)
    {
        var meter = app.Services.GetRequiredService<GatewayMetrics>().Meter;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter, meter))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Add(i, v, tags));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Add(i, v, tags));
        _listener.Start();
    }

    public IReadOnlyList<RecordedMeasurement> Of(string instrument) => [.. _measurements.Where(m => m.Instrument == instrument)];

    /// <summary>Reads every observable gauge now (their callbacks run) and returns what they reported.</summary>
    public IReadOnlyList<RecordedMeasurement> ObserveGauges()
    {
        _measurements.Clear();
        _listener.RecordObservableInstruments();
        return [.. _measurements];
    }

    private void Add<T>(Instrument instrument, T value, ReadOnlySpan<KeyValuePair<string, object?>> tags) where T : struct
    {
        var copy = new Dictionary<string, string?>();
        foreach (var (key, tag) in tags)
        {
            copy[key] = tag?.ToString();
        }
        _measurements.Enqueue(new RecordedMeasurement(instrument.Name, Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture), copy));
    }

    public void Dispose() => _listener.Dispose();
}
