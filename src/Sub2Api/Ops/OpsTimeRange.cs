using System.Globalization;

namespace Sub2Api.Ops;

/// <summary>
/// The window an ops query covers: <c>time_range</c> = <c>5m|30m|1h|6h|24h|7d|30d</c> (default <c>1h</c>, ending
/// now), or explicit <c>start_time</c>/<c>end_time</c> (RFC 3339; either may be left out: a missing end is now, a
/// missing start is the end minus the <c>time_range</c>). Explicit times win over <c>time_range</c>. Results are UTC.
/// </summary>
internal static class OpsTimeRange
{
    public const string DefaultRange = "1h";

    /// <summary>The accepted <c>time_range</c> values, shortest first.</summary>
    public static readonly IReadOnlyList<string> Ranges = ["5m", "30m", "1h", "6h", "24h", "7d", "30d"];

    public static TimeSpan? Duration(string range) => range switch
    {
        "5m" => TimeSpan.FromMinutes(5),
        "30m" => TimeSpan.FromMinutes(30),
        "1h" => TimeSpan.FromHours(1),
        "6h" => TimeSpan.FromHours(6),
        "24h" => TimeSpan.FromHours(24),
        "7d" => TimeSpan.FromDays(7),
        "30d" => TimeSpan.FromDays(30),
        _ => null,
    };

    public static bool TryParse(HttpRequest request, DateTime now, out DateTime start, out DateTime end, out string? error) =>
        TryParse(request.Query, now, out start, out end, out error);

    public static bool TryParse(IQueryCollection query, DateTime now, out DateTime start, out DateTime end, out string? error)
    {
        start = end = default;
        var rangeText = query["time_range"].ToString().Trim();
        if (rangeText.Length == 0)
        {
            rangeText = DefaultRange;
        }
        if (Duration(rangeText) is not { } span)
        {
            error = $"time_range must be one of: {string.Join(", ", Ranges)}";
            return false;
        }
        if (!TryReadTime(query, "start_time", out var from, out error) || !TryReadTime(query, "end_time", out var to, out error))
        {
            return false;
        }
        end = to ?? DateTime.SpecifyKind(now, DateTimeKind.Utc);
        start = from ?? end - span;
        if (start >= end)
        {
            error = "start_time must be before end_time";
            return false;
        }
        return true;
    }

    private static bool TryReadTime(IQueryCollection query, string name, out DateTime? value, out string? error)
    {
        value = null;
        error = null;
        var text = query[name].ToString().Trim();
        if (text.Length == 0)
        {
            return true;
        }
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant))
        {
            error = $"{name} must be an RFC 3339 time, e.g. 2026-01-02T15:04:05Z";
            return false;
        }
        // Bounded well inside DateTime's range, so the window's start (end − span) and the chart buckets after it can
        // never overflow: a year-1 or year-9999 time is a client's mistake, not a 500.
        if (instant.UtcDateTime < Earliest || instant.UtcDateTime > Latest)
        {
            error = $"{name} must lie between {Earliest:yyyy-MM-dd} and {Latest:yyyy-MM-dd}";
            return false;
        }
        value = instant.UtcDateTime;
        return true;
    }

    public static readonly DateTime Earliest = new(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    public static readonly DateTime Latest = new(9000, 1, 1, 0, 0, 0, DateTimeKind.Utc);
}
