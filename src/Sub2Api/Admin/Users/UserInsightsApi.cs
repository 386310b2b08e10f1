using Microsoft.EntityFrameworkCore;
using Sub2Api.Common;
using Sub2Api.Data;
using Sub2Api.UserPortal;
using Sub2Api.Usage;

namespace Sub2Api.Admin.Users;

/// <summary>The original's shape of <c>GET /admin/users/:id/usage</c>: totals over the period.</summary>
internal sealed record UserUsageSummaryDto(string Period, long TotalRequests, decimal TotalCost, decimal TotalActualCost,
    long TotalTokens, double AvgDurationMs);

/// <summary><c>/admin/users/:id/api-keys</c> (the user's keys, as masked as everywhere else) and <c>/admin/users/:id/usage</c>.</summary>
internal static class UserInsightsApi
{
    public static void MapAdminUserInsights(this RouteGroupBuilder admin)
    {
        admin.MapGet("/users/{id}/api-keys", async (long id, HttpRequest request, Sub2ApiDbContext db, CancellationToken ct) =>
        {
            var page = PageRequest.From(request);
            if (!await db.Users.AnyAsync(u => u.Id == id, ct))
            {
                return Api.NotFound("user not found");
            }
            var keys = db.ApiKeys.AsNoTracking().Include(k => k.Group).Where(k => k.UserId == id)
                .OrderByDescending(k => k.CreatedAt).ThenByDescending(k => k.Id);
            return Api.Ok(await keys.ToPageAsync(page, k => ApiKeyDto.From(k), ct));
        });

        admin.MapGet("/users/{id}/usage", async (long id, HttpRequest request, Sub2ApiDbContext db, TimeProvider time, CancellationToken ct) =>
        {
            var period = request.Query["period"].ToString().Trim().ToLowerInvariant();
            if (period.Length == 0)
            {
                period = "month"; // the original's default
            }
            var now = time.GetUtcNow().UtcDateTime;
            DateTime? from = period switch
            {
                "today" => now.Date,
                "week" => now.AddDays(-7),
                "month" => now.AddMonths(-1),
                "all" => null,
                _ => throw ApiException.BadRequest("period must be one of: today, week, month, all"),
            };
            if (!await db.Users.IgnoreQueryFilters().AnyAsync(u => u.Id == id, ct))
            {
                return Api.NotFound("user not found");
            }
            var stats = await db.UsageLogs.AsNoTracking().Filter(new UsageFilter { UserId = id, From = from }).StatsAsync(ct);
            return Api.Ok(new UserUsageSummaryDto(period, stats.TotalRequests, stats.TotalCost, stats.TotalActualCost,
                stats.TotalTokens, stats.AverageDurationMs));
        });
    }
}
