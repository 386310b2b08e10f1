using System.Globalization;
using Sub2Api.Common;

namespace Sub2Api.Ops.Alerts;

/// <summary>
/// The ops time filter: <c>time_range</c> (5m, 30m, 1h, 6h, 24h, 7d, 30d) or <c>start_time</c>/<c>end_time</c>
/// (RFC 3339). Alert history is browsed rather than charted, so with neither given the range is open (every event)
/// instead of the last hour.
/// </summary>
internal readonly record struct AlertTimeRange(DateTime? From, DateTime? Until)
{
    private static readonly Dictionary<string, TimeSpan> Ranges = new(StringComparer.Ordinal)
    {
        ["5m"] = TimeSpan.FromMinutes(5),
        ["30m"] = TimeSpan.FromMinutes(30),
        ["1h"] = TimeSpan.FromHours(1),
        ["6h"] = TimeSpan.FromHours(6),
        ["24h"] = TimeSpan.FromHours(24),
        ["7d"] = TimeSpan.FromDays(7),
        ["30d"] = TimeSpan.FromDays(30),
    };

    public static AlertTimeRange FromQuery(HttpRequest request, DateTime now)
    {
        var range = request.Query["time_range"].ToString().Trim();
        var start = ReadTime(request, "start_time");
        var end = ReadTime(request, "end_time");
        if (range.Length > 0)
        {
            if (!Ranges.TryGetValue(range, out var span))
            {
                throw ApiException.BadRequest($"time_range must be one of: {string.Join(", ", Ranges.Keys)}");
            }
            if (start is not null || end is not null)
            {
                throw ApiException.BadRequest("give either time_range or start_time/end_time, not both");
            }
            return new AlertTimeRange(now - span, null);
        }
        if (start is { } s && end is { } e && s > e)
        {
            throw ApiException.BadRequest("start_time must not be after end_time");
        }
        return new AlertTimeRange(start, end);
    }

    private static DateTime? ReadTime(HttpRequest request, string name)
    {
        var raw = request.Query[name].ToString().Trim();
        if (raw.Length == 0)
        {
            return null;
        }
        return DateTimeOffset.TryParse(raw, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
            ? parsed.UtcDateTime
            : throw ApiException.BadRequest($"{name} must be an RFC 3339 time, e.g. 2026-01-02T15:04:05Z");
    }
}
