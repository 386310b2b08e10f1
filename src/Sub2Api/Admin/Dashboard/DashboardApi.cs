using Microsoft.EntityFrameworkCore;
using Sub2Api.Common;
using Sub2Api.Data;
using Sub2Api.Data.Entities;
using Sub2Api.Usage;

namespace Sub2Api.Admin.Dashboard;

/// <summary><c>/admin/dashboard/stats</c>: the headline numbers of the admin dashboard (the charts: <see cref="DashboardTrendApi"/>).</summary>
internal static class DashboardApi
{
    public static void MapAdminDashboard(this RouteGroupBuilder group)
    {
        group.MapGet("/dashboard/stats", async (Sub2ApiDbContext db, TimeProvider time, CancellationToken ct) =>
            Api.Ok(await BuildStatsAsync(db, time.GetUtcNow().UtcDateTime, ct)));
        group.MapAdminDashboardTrends();
    }

    internal static async Task<DashboardStatsDto> BuildStatsAsync(Sub2ApiDbContext db, DateTime now, CancellationToken ct)
    {
        var today = now.Date;
        var lastHour = now.AddHours(-1);
        var lastMinute = now.AddMinutes(-1);

        var users = await db.Users.AsNoTracking()
            .GroupBy(_ => 1)
            .Select(g => new { Total = g.LongCount(), Today = g.LongCount(u => u.CreatedAt >= today) })
            .FirstOrDefaultAsync(ct);
        var keys = await db.ApiKeys.AsNoTracking()
            .GroupBy(_ => 1)
            .Select(g => new { Total = g.LongCount(), Active = g.LongCount(k => k.Status == Statuses.Active) })
            .FirstOrDefaultAsync(ct);
        var accounts = await db.Accounts.AsNoTracking()
            .GroupBy(_ => 1)
            .Select(g => new
            {
                Total = g.LongCount(),
                // "Normal" = the scheduler could pick it right now.
                Normal = g.LongCount(a => a.Status == Statuses.Active && a.Schedulable
                    && !(a.RateLimitResetAt > now) && !(a.OverloadUntil > now) && !(a.TempUnschedulableUntil > now)),
                Error = g.LongCount(a => a.Status == Statuses.Error),
                RateLimited = g.LongCount(a => a.RateLimitResetAt > now),
                Overloaded = g.LongCount(a => a.OverloadUntil > now),
            })
            .FirstOrDefaultAsync(ct);

        var logs = db.UsageLogs.AsNoTracking();
        var total = await logs.StatsAsync(ct);
        var todayStats = await logs.Where(u => u.CreatedAt >= today).StatsAsync(ct);
        var minute = await logs.Where(u => u.CreatedAt >= lastMinute).StatsAsync(ct);
        var activeToday = await logs.Where(u => u.CreatedAt >= today).Select(u => u.UserId).Distinct().LongCountAsync(ct);
        var activeHour = await logs.Where(u => u.CreatedAt >= lastHour).Select(u => u.UserId).Distinct().LongCountAsync(ct);

        return new DashboardStatsDto
        {
            TotalUsers = users?.Total ?? 0,
            TodayNewUsers = users?.Today ?? 0,
            ActiveUsers = activeToday,
            HourlyActiveUsers = activeHour,
            TotalApiKeys = keys?.Total ?? 0,
            ActiveApiKeys = keys?.Active ?? 0,
            TotalAccounts = accounts?.Total ?? 0,
            NormalAccounts = accounts?.Normal ?? 0,
            ErrorAccounts = accounts?.Error ?? 0,
            RatelimitAccounts = accounts?.RateLimited ?? 0,
            OverloadAccounts = accounts?.Overloaded ?? 0,
            TotalRequests = total.TotalRequests,
            TodayRequests = todayStats.TotalRequests,
            TotalInputTokens = total.TotalInputTokens,
            TotalOutputTokens = total.TotalOutputTokens,
            TotalCacheCreationTokens = total.TotalCacheCreationTokens,
            TotalCacheReadTokens = total.TotalCacheReadTokens,
            TotalTokens = total.TotalTokens,
            TotalCost = total.TotalCost,
            TotalActualCost = total.TotalActualCost,
            TodayInputTokens = todayStats.TotalInputTokens,
            TodayOutputTokens = todayStats.TotalOutputTokens,
            TodayCacheCreationTokens = todayStats.TotalCacheCreationTokens,
            TodayCacheReadTokens = todayStats.TotalCacheReadTokens,
            TodayTokens = todayStats.TotalTokens,
            TodayCost = todayStats.TotalCost,
            TodayActualCost = todayStats.TotalActualCost,
            AverageDurationMs = total.AverageDurationMs,
            Rpm = minute.TotalRequests,
            Tpm = minute.TotalTokens,
        };
    }
}
