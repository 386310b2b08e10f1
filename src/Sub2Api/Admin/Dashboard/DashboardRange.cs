using System.Globalization;
using Sub2Api.Common;
using Sub2Api.Usage;

namespace Sub2Api.Admin.Dashboard;

/// <summary>
/// The time range, bucket size and usage filters of a dashboard chart. Dates are UTC days with both ends
/// included; with none given the range is the last 7 days (today included). Bucket counts are bounded so a
/// chart request stays cheap: at most <see cref="MaxDays"/> days of daily buckets or <see cref="MaxHourlyDays"/>
/// days of hourly ones.
/// </summary>
internal sealed record DashboardRange(UsageFilter Filter, DateTime From, DateTime Until, bool Hourly)
{
    public const int DefaultDays = 7;
    public const int MaxDays = 366;
    public const int MaxHourlyDays = 31;

    public string StartDate => Day(From);

    /// <summary>The last day included (the range's end is exclusive).</summary>
    public string EndDate => Day(Until.AddTicks(-1));

    public string Granularity => Hourly ? "hour" : "day";

    public static DashboardRange FromQuery(HttpRequest request, DateTime now)
    {
        var filter = UsageFilter.FromQuery(request);
        var granularity = request.Query["granularity"].ToString().Trim().ToLowerInvariant();
        if (granularity is not ("" or "day" or "hour"))
        {
            throw ApiException.BadRequest("granularity must be day or hour");
        }
        var hourly = granularity == "hour";
        var until = filter.Until ?? now.Date.AddDays(1);
        // An end in the calendar's first week (end_date=0001-01-01) has no full week before it: start at its first day.
        var from = filter.From ?? (until - DateTime.MinValue > TimeSpan.FromDays(DefaultDays) ? until.AddDays(-DefaultDays) : DateTime.MinValue);
        if (from >= until)
        {
            throw ApiException.BadRequest("start_date must not be after end_date");
        }
        var maxDays = hourly ? MaxHourlyDays : MaxDays;
        if (until - from > TimeSpan.FromDays(maxDays))
        {
            throw ApiException.BadRequest(hourly
                ? $"an hourly chart covers at most {MaxHourlyDays} days"
                : $"a daily chart covers at most {MaxDays} days");
        }
        return new DashboardRange(filter with { From = from, Until = until }, from, until, hourly);
    }

    /// <summary><c>limit</c> of the top-N charts: 1–50, default 12.</summary>
    public static int ReadLimit(HttpRequest request)
    {
        var raw = request.Query["limit"].ToString().Trim();
        if (raw.Length == 0)
        {
            return 12;
        }
        return int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) && limit is >= 1 and <= 50
            ? limit
            : throw ApiException.BadRequest("limit must be an integer from 1 to 50");
    }

    /// <summary>A bucket's label: <c>2026-05-01</c> for a day, <c>2026-05-01 08:00</c> for an hour (UTC).</summary>
    public string Label(DateTime bucketStart) => bucketStart.ToString(Hourly ? "yyyy-MM-dd HH:00" : "yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Day(DateTime instant) => instant.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
