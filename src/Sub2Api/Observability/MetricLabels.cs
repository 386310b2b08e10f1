using System.Collections.Concurrent;

namespace Sub2Api.Observability;

/// <summary>
/// Label values that stay bounded and cost no allocation on the hot path. A label set must never grow with what a
/// client sends: a model name is its own label for the first <see cref="MaxModels"/> well-formed names a node sees,
/// and "other" after that (clients choose model strings; an unbounded label would grow Prometheus without end).
/// </summary>
internal static class MetricLabels
{
    public const int MaxModels = 200;
    public const string Other = "other";
    public const string None = "none";

    private static readonly string[] StatusCodes = [.. Enumerable.Range(0, 600).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))];
    private static readonly ConcurrentDictionary<string, string> Models = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<long, string> Ids = new();

    /// <summary>"200", "429", …; anything outside 0–599 is "other".</summary>
    public static string Status(int status) => (uint)status < (uint)StatusCodes.Length ? StatusCodes[status] : Other;

    public static string Model(string? model)
    {
        if (string.IsNullOrEmpty(model))
        {
            return None;
        }
        if (Models.TryGetValue(model, out var label))
        {
            return label;
        }
        // Cheap checks first; the count is our own counter, because ConcurrentDictionary.Count takes every lock and
        // would be paid by each request of a client that keeps sending unknown or odd model names.
        if (model.Length > 100 || !IsPlain(model) || Volatile.Read(ref _modelCount) >= MaxModels)
        {
            return Other;
        }
        if (Models.TryAdd(model, model))
        {
            Interlocked.Increment(ref _modelCount);
        }
        return Models.TryGetValue(model, out label) ? label : Other;
    }

    private static int _modelCount;

    /// <summary>An account id as a label (accounts are few and admin-made, so bounded); cached to avoid a string per request.</summary>
    public static string Id(long id) => Ids.TryGetValue(id, out var label) ? label : Ids.GetOrAdd(id, static i => i.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private static bool IsPlain(string value)
    {
        foreach (var c in value)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or ':' or '/' or '@'))
            {
                return false;
            }
        }
        return true;
    }
}
