using System.Globalization;
using Sub2Api.Common;
using Sub2Api.Data.Entities;

namespace Sub2Api.Ops.Dashboard;

/// <summary>
/// The window and filters of an ops dashboard query: the shared time range (half-open, UTC) plus the optional
/// <c>platform</c>, <c>group_id</c> and <c>account_id</c>. Bad values throw a 400 naming the parameter.
/// </summary>
internal sealed record OpsDashboardWindow(DateTime Start, DateTime End, string? Platform, long? GroupId, long? AccountId)
{
    /// <summary>The longest window a dashboard query reads, so a chart or percentile never scans unbounded history.</summary>
    public static readonly TimeSpan MaxSpan = TimeSpan.FromDays(31);

    public TimeSpan Span => End - Start;

    /// <summary>
    /// The chart bucket for the window's length, so a chart has at most a few hundred points:
    /// up to 1 h → 1 min, 6 h → 5 min, 24 h → 15 min, 7 d → 1 h, longer → 1 day.
    /// </summary>
    public int BucketSeconds => Span switch
    {
        var s when s <= TimeSpan.FromHours(1) => 60,
        var s when s <= TimeSpan.FromHours(6) => 300,
        var s when s <= TimeSpan.FromHours(24) => 900,
        var s when s <= TimeSpan.FromDays(7) => 3600,
        _ => 86400,
    };

    public static OpsDashboardWindow FromQuery(HttpRequest request, DateTime now)
    {
        if (!OpsTimeRange.TryParse(request.Query, now, out var start, out var end, out var error))
        {
            throw ApiException.BadRequest(error ?? "invalid time range");
        }
        if (end - start > MaxSpan)
        {
            throw ApiException.BadRequest("the time range covers at most 31 days");
        }
        return Filters(request, start, end);
    }

    /// <summary>Only the filters, for the live views (concurrency, availability) that read no time range.</summary>
    public static OpsDashboardWindow FiltersOnly(HttpRequest request, DateTime now) => Filters(request, now, now);

    private static OpsDashboardWindow Filters(HttpRequest request, DateTime start, DateTime end)
    {
        var platform = request.Query["platform"].ToString().Trim().ToLowerInvariant();
        if (platform.Length > 0 && !Platforms.All.Contains(platform))
        {
            throw ApiException.BadRequest($"platform must be one of: {string.Join(", ", Platforms.All)}");
        }
        return new OpsDashboardWindow(start, end, platform.Length == 0 ? null : platform, ReadId(request, "group_id"),
            ReadId(request, "account_id"));
    }

    /// <summary>A positive id from the query string, or null when absent.</summary>
    public static long? ReadId(HttpRequest request, string name)
    {
        var raw = request.Query[name].ToString().Trim();
        if (raw.Length == 0)
        {
            return null;
        }
        return long.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw ApiException.BadRequest($"{name} must be a positive integer");
    }

    /// <summary>The start of the chart bucket that holds <paramref name="instant"/> (buckets are aligned to the epoch).</summary>
    public DateTime BucketOf(DateTime instant)
    {
        var ticks = TimeSpan.FromSeconds(BucketSeconds).Ticks;
        return new DateTime(instant.Ticks - (instant.Ticks % ticks), DateTimeKind.Utc);
    }

    /// <summary>Every bucket start from the window's first bucket to its last, so a chart shows quiet periods as zeros.</summary>
    public IEnumerable<DateTime> BucketStarts()
    {
        var step = TimeSpan.FromSeconds(BucketSeconds);
        for (var t = BucketOf(Start); t < End; t += step)
        {
            yield return t;
        }
    }
}
