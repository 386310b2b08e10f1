using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Sub2Api.Auth;
using Sub2Api.Common;
using Sub2Api.Data;
using Sub2Api.Data.Entities;
using Sub2Api.Usage;

namespace Sub2Api.UserPortal;

/// <summary>
/// <c>/usage/dashboard/{stats,trend,models}</c>: the numbers behind the user's dashboard, over the caller's own
/// usage only. "Today" is the current UTC day; rpm/tpm cover the last minute.
/// </summary>
internal static class UsageDashboardApi
{
    /// <summary>Without a start_date the trend and model charts cover the last seven UTC days, today included.</summary>
    private const int DefaultDays = 7;

    public static void MapUserUsageDashboardApi(this RouteGroupBuilder group)
    {
        var dashboard = group.MapGroup("/usage/dashboard");

        dashboard.MapGet("/stats", async (CurrentUser me, Sub2ApiDbContext db, TimeProvider time, CancellationToken ct) =>
            Api.Ok(await BuildStatsAsync(db, me.Id, time.GetUtcNow().UtcDateTime, ct)));

        dashboard.MapGet("/trend", async (CurrentUser me, HttpRequest request, Sub2ApiDbContext db, TimeProvider time, CancellationToken ct) =>
        {
            var granularity = request.Query["granularity"].ToString().Trim().ToLowerInvariant() switch
            {
                "" or UsageTrendQueries.Day => UsageTrendQueries.Day,
                UsageTrendQueries.Hour => UsageTrendQueries.Hour,
                _ => throw ApiException.BadRequest("granularity must be day or hour"),
            };
            var filter = Range(request, me, time.GetUtcNow().UtcDateTime);
            var trend = await db.UsageLogs.AsNoTracking().Filter(filter).TrendAsync(granularity, ct);
            return Api.Ok(new { trend, start_date = StartDate(filter), end_date = EndDate(filter, time), granularity });
        });

        dashboard.MapGet("/models", async (CurrentUser me, HttpRequest request, Sub2ApiDbContext db, TimeProvider time, CancellationToken ct) =>
        {
            var filter = Range(request, me, time.GetUtcNow().UtcDateTime);
            var models = await db.UsageLogs.AsNoTracking().Filter(filter).ModelsAsync(ct);
            return Api.Ok(new { models, start_date = StartDate(filter), end_date = EndDate(filter, time) });
        });
    }

    internal static async Task<UserDashboardStatsDto> BuildStatsAsync(Sub2ApiDbContext db, long userId, DateTime now, CancellationToken ct)
    {
        var keys = await db.ApiKeys.AsNoTracking()
            .Where(k => k.UserId == userId)
            .GroupBy(_ => 1)
            .Select(g => new { Total = g.LongCount(), Active = g.LongCount(k => k.Status == Statuses.Active) })
            .FirstOrDefaultAsync(ct);
        var own = new UsageFilter { UserId = userId };
        var logs = db.UsageLogs.AsNoTracking();
        var total = await logs.Filter(own).StatsAsync(ct);
        var today = await logs.Filter(own with { From = now.Date }).StatsAsync(ct);
        var minute = await logs.Filter(own with { From = now.AddMinutes(-1) }).StatsAsync(ct);
        return new UserDashboardStatsDto
        {
            TotalApiKeys = keys?.Total ?? 0,
            ActiveApiKeys = keys?.Active ?? 0,
            TotalRequests = total.TotalRequests,
            TotalInputTokens = total.TotalInputTokens,
            TotalOutputTokens = total.TotalOutputTokens,
            TotalCacheCreationTokens = total.TotalCacheCreationTokens,
            TotalCacheReadTokens = total.TotalCacheReadTokens,
            TotalTokens = total.TotalTokens,
            TotalCost = total.TotalCost,
            TotalActualCost = total.TotalActualCost,
            TodayRequests = today.TotalRequests,
            TodayInputTokens = today.TotalInputTokens,
            TodayOutputTokens = today.TotalOutputTokens,
            TodayCacheCreationTokens = today.TotalCacheCreationTokens,
            TodayCacheReadTokens = today.TotalCacheReadTokens,
            TodayTokens = today.TotalTokens,
            TodayCost = today.TotalCost,
            TodayActualCost = today.TotalActualCost,
            AverageDurationMs = total.AverageDurationMs,
            Rpm = minute.TotalRequests,
            Tpm = minute.TotalTokens,
        };
    }

    /// <summary>
    /// The date range of a chart (start_date/end_date, or start_time/end_time, as the usage list reads them),
    /// always narrowed to the caller's own rows.
    /// </summary>
    private static UsageFilter Range(HttpRequest request, CurrentUser me, DateTime now)
    {
        var query = UsageFilter.FromQuery(request);
        var from = query.From ?? now.Date.AddDays(-(DefaultDays - 1));
        if (query.Until is { } until && from >= until)
        {
            throw ApiException.BadRequest("start of the time range must be before its end");
        }
        return new UsageFilter { UserId = me.Id, From = from, Until = query.Until };
    }

    private static string StartDate(UsageFilter filter) => Format(filter.From!.Value);

    // Until is exclusive: the last day shown is the one before it (or today for an open range).
    private static string EndDate(UsageFilter filter, TimeProvider time) =>
        Format(filter.Until is { } until ? until.AddTicks(-1) : time.GetUtcNow().UtcDateTime);

    private static string Format(DateTime day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
