using Microsoft.EntityFrameworkCore;
using Sub2Api.Common;
using Sub2Api.Data;
using Sub2Api.Data.Entities;
using Sub2Api.Scheduling.Concurrency;
using Sub2Api.Usage;

namespace Sub2Api.Admin.Dashboard;

/// <summary>The original's realtime card: slots in use now, last minute's requests and mean latency, recent error rate.</summary>
internal sealed record DashboardRealtimeDto(long ActiveRequests, long RequestsPerMinute, double AverageResponseTime, double ErrorRate);

internal sealed record BatchIdsRequest(List<long>? UserIds, List<long>? ApiKeyIds);

internal sealed record BatchUserUsageDto(long UserId, decimal TodayActualCost, decimal TotalActualCost);

internal sealed record BatchApiKeyUsageDto(long ApiKeyId, decimal TodayActualCost, decimal TotalActualCost);

/// <summary>
/// <c>GET /admin/dashboard/realtime</c>, <c>POST /admin/dashboard/users-usage</c> and <c>POST /admin/dashboard/api-keys-usage</c>:
/// <c>{"stats": {"&lt;id&gt;": {…_id, today_actual_cost, total_actual_cost}}}</c> for the ids asked (at most
/// <see cref="MaxIds"/>), as the original's users and keys tables fetch their cost columns. "Today" is the UTC day.
/// </summary>
internal static class DashboardBatchApi
{
    public const int MaxIds = 1000;
    private static readonly TimeSpan ErrorRateWindow = TimeSpan.FromMinutes(5);

    public static void MapAdminDashboardBatch(this RouteGroupBuilder admin)
    {
        admin.MapGet("/dashboard/realtime", async (Sub2ApiDbContext db, IConcurrencySlots slots, TimeProvider time, CancellationToken ct) =>
        {
            var now = time.GetUtcNow().UtcDateTime;
            var accounts = await db.Accounts.AsNoTracking().Select(a => new { a.Id, a.Concurrency }).ToListAsync(ct);
            var loads = accounts.Count == 0 ? new Dictionary<long, AccountLoad>()
                : await slots.GetAccountLoadsAsync([.. accounts.Select(a => (a.Id, a.Concurrency))]);
            var lastMinute = await db.UsageLogs.AsNoTracking().Where(u => u.CreatedAt >= now.AddMinutes(-1))
                .GroupBy(_ => 1)
                .Select(g => new { Count = g.LongCount(), Duration = g.Average(u => (double?)u.DurationMs) })
                .FirstOrDefaultAsync(ct);
            var since = now - ErrorRateWindow;
            var requests = await db.UsageLogs.LongCountAsync(u => u.CreatedAt >= since, ct);
            var errors = await db.OpsErrorLogs.LongCountAsync(e => e.CreatedAt >= since, ct);
            return Api.Ok(new DashboardRealtimeDto(
                loads.Values.Sum(l => (long)l.InUse),
                lastMinute?.Count ?? 0,
                Math.Round(lastMinute?.Duration ?? 0d, 2),
                requests + errors == 0 ? 0d : Math.Round((double)errors / (requests + errors), 4)));
        });

        admin.MapPost("/dashboard/users-usage", async (BatchIdsRequest req, Sub2ApiDbContext db, TimeProvider time, CancellationToken ct) =>
        {
            if (CheckIds(req.UserIds, "user_ids") is { } error)
            {
                return Api.BadRequest(error);
            }
            var ids = req.UserIds!.Distinct().ToList();
            var costs = await CostsAsync(db.UsageLogs.AsNoTracking().Where(u => ids.Contains(u.UserId)), u => u.UserId,
                time.GetUtcNow().UtcDateTime.Date, ct);
            return Api.Ok(new
            {
                stats = ids.ToDictionary(Key, id => costs.TryGetValue(id, out var c)
                    ? new BatchUserUsageDto(id, c.Today, c.Total) : new BatchUserUsageDto(id, 0m, 0m)),
            });
        });

        admin.MapPost("/dashboard/api-keys-usage", async (BatchIdsRequest req, Sub2ApiDbContext db, TimeProvider time, CancellationToken ct) =>
            await ApiKeysUsageAsync(req, db.UsageLogs.AsNoTracking(), time, ct));
    }

    /// <summary>Shared with the user route, which narrows <paramref name="logs"/> to the caller's own rows.</summary>
    public static async Task<IResult> ApiKeysUsageAsync(BatchIdsRequest req, IQueryable<UsageLog> logs, TimeProvider time, CancellationToken ct)
    {
        if (CheckIds(req.ApiKeyIds, "api_key_ids") is { } error)
        {
            return Api.BadRequest(error);
        }
        var ids = req.ApiKeyIds!.Distinct().ToList();
        var costs = await CostsAsync(logs.Where(u => ids.Contains(u.ApiKeyId)), u => u.ApiKeyId, time.GetUtcNow().UtcDateTime.Date, ct);
        return Api.Ok(new
        {
            stats = ids.ToDictionary(Key, id => costs.TryGetValue(id, out var c)
                ? new BatchApiKeyUsageDto(id, c.Today, c.Total) : new BatchApiKeyUsageDto(id, 0m, 0m)),
        });
    }

    private static string Key(long id) => id.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string? CheckIds(List<long>? ids, string field) => ids switch
    {
        null => $"{field} is required",
        { Count: > MaxIds } => $"{field} may name at most {MaxIds} ids",
        _ => null,
    };

    /// <summary>Today's and all-time actual cost per id: two grouped sums computed by the database (exact decimals).</summary>
    private static async Task<Dictionary<long, (decimal Today, decimal Total)>> CostsAsync(IQueryable<UsageLog> logs,
        System.Linq.Expressions.Expression<Func<UsageLog, long>> key, DateTime today, CancellationToken ct)
    {
        var total = await logs.SumByAsync(key, ct);
        var todays = (await logs.Where(u => u.CreatedAt >= today).SumByAsync(key, ct)).ToDictionary(s => s.Key, s => s.ActualCost);
        return total.ToDictionary(s => s.Key, s => (todays.GetValueOrDefault(s.Key), s.ActualCost));
    }
}
