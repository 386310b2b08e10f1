using Microsoft.EntityFrameworkCore;
using Sub2Api.Common;
using Sub2Api.Data;
using Sub2Api.Data.Entities;
using Sub2Api.UserPortal;
using Sub2Api.Usage;

namespace Sub2Api.Admin.Groups;

/// <summary>
/// <c>GET /admin/groups/:id/stats</c>: the original's four numbers (<c>total_api_keys, active_api_keys,
/// total_requests, total_cost</c>) plus what the groups page can show next to them: accounts, users with a key in
/// the group, today's requests and cost, and the actual (charged) cost.
/// </summary>
internal sealed record GroupStatsDto(
    long GroupId, long TotalApiKeys, long ActiveApiKeys, long TotalRequests, decimal TotalCost, decimal TotalActualCost,
    long AccountCount, long UserCount, long TodayRequests, decimal TodayCost, decimal TodayActualCost);

/// <summary><c>/admin/groups/:id/stats</c> and <c>/admin/groups/:id/api-keys</c> (paged, masked).</summary>
internal static class GroupInsightsApi
{
    public static void MapAdminGroupInsights(this RouteGroupBuilder admin)
    {
        admin.MapGet("/groups/{id}/stats", async (long id, Sub2ApiDbContext db, TimeProvider time, CancellationToken ct) =>
        {
            if (!await db.Groups.AnyAsync(g => g.Id == id, ct))
            {
                return Api.NotFound($"group {id} not found");
            }
            var keys = await db.ApiKeys.AsNoTracking().Where(k => k.GroupId == id)
                .GroupBy(_ => 1)
                .Select(g => new
                {
                    Total = g.LongCount(),
                    Active = g.LongCount(k => k.Status == Statuses.Active),
                    Users = g.Select(k => k.UserId).Distinct().LongCount(),
                })
                .FirstOrDefaultAsync(ct);
            var accounts = await db.AccountGroups.LongCountAsync(ag => ag.GroupId == id && db.Accounts.Any(a => a.Id == ag.AccountId), ct);
            var logs = db.UsageLogs.AsNoTracking();
            var total = await logs.Filter(new UsageFilter { GroupId = id }).StatsAsync(ct);
            var today = await logs.Filter(new UsageFilter { GroupId = id, From = time.GetUtcNow().UtcDateTime.Date }).StatsAsync(ct);
            return Api.Ok(new GroupStatsDto(id, keys?.Total ?? 0, keys?.Active ?? 0, total.TotalRequests, total.TotalCost,
                total.TotalActualCost, accounts, keys?.Users ?? 0, today.TotalRequests, today.TotalCost, today.TotalActualCost));
        });

        admin.MapGet("/groups/{id}/api-keys", async (long id, HttpRequest request, Sub2ApiDbContext db, CancellationToken ct) =>
        {
            var page = PageRequest.From(request);
            if (!await db.Groups.AnyAsync(g => g.Id == id, ct))
            {
                return Api.NotFound($"group {id} not found");
            }
            var keys = db.ApiKeys.AsNoTracking().Include(k => k.Group).Where(k => k.GroupId == id)
                .OrderByDescending(k => k.CreatedAt).ThenByDescending(k => k.Id);
            return Api.Ok(await keys.ToPageAsync(page, k => ApiKeyDto.From(k), ct));
        });
    }
}
