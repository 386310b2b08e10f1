using Microsoft.EntityFrameworkCore;
using Sub2Api.Data;
using Sub2Api.Data.Entities;
using Sub2Api.Usage;

namespace Sub2Api.Admin.Dashboard;

/// <summary>
/// The dashboard charts: usage per time bucket (UTC day or hour, shared with the user's dashboard), per model, and per bucket for the top users
/// and API keys. All grouping happens in the database; only the grouped rows (bounded by the range's bucket
/// count times the series count) are shaped in memory.
/// </summary>
internal static class DashboardTrendQueries
{
    private enum Series
    {
        User,
        ApiKey,
    }

    public static async Task<TrendResponse> TrendAsync(Sub2ApiDbContext db, DashboardRange range, CancellationToken ct) =>
        new(await UsageTrendQueries.TrendAsync(Rows(db, range), range.Granularity, ct), range.StartDate, range.EndDate, range.Granularity);

    public static async Task<ModelsResponse> ModelsAsync(Sub2ApiDbContext db, DashboardRange range, CancellationToken ct)
    {
        var models = (await Rows(db, range).SumByAsync(u => u.Model, ct))
            .OrderByDescending(m => m.TotalTokens).ThenBy(m => m.Key, StringComparer.Ordinal)
            .Select(m => new ModelStat(m.Key, m.Requests, m.InputTokens, m.OutputTokens, m.CacheCreationTokens, m.CacheReadTokens,
                m.TotalTokens, m.Cost, m.ActualCost))
            .ToList();
        return new ModelsResponse(models, range.StartDate, range.EndDate);
    }

    public static async Task<SeriesTrendResponse<UserTrendPoint>> UsersTrendAsync(Sub2ApiDbContext db, DashboardRange range, int limit,
        CancellationToken ct)
    {
        var rows = Rows(db, range);
        var top = Top(await rows.SumByAsync(u => u.UserId, ct), limit);
        var ids = top.Keys.ToList();
        var emails = await db.Users.IgnoreQueryFilters().AsNoTracking().Where(u => ids.Contains(u.Id))
            .ToDictionaryAsync(u => u.Id, u => u.Email, ct);
        var buckets = ids.Count == 0 ? [] : await BucketsAsync(rows.Where(u => ids.Contains(u.UserId)), Series.User, range.Hourly, ct);
        var trend = Ordered(buckets, top)
            .Select(b => new UserTrendPoint(range.Label(b.Key.Start), b.Key.Id, emails.GetValueOrDefault(b.Key.Id, ""), b.Requests,
                b.TotalTokens, b.Cost, b.ActualCost))
            .ToList();
        return new SeriesTrendResponse<UserTrendPoint>(trend, range.StartDate, range.EndDate, range.Granularity);
    }

    public static async Task<SeriesTrendResponse<ApiKeyTrendPoint>> ApiKeysTrendAsync(Sub2ApiDbContext db, DashboardRange range, int limit,
        CancellationToken ct)
    {
        var rows = Rows(db, range);
        var top = Top(await rows.SumByAsync(u => u.ApiKeyId, ct), limit);
        var ids = top.Keys.ToList();
        // Deleted keys keep their name here: their spending is still history.
        var names = await db.ApiKeys.IgnoreQueryFilters().AsNoTracking().Where(k => ids.Contains(k.Id))
            .ToDictionaryAsync(k => k.Id, k => k.Name, ct);
        var buckets = ids.Count == 0 ? [] : await BucketsAsync(rows.Where(u => ids.Contains(u.ApiKeyId)), Series.ApiKey, range.Hourly, ct);
        var trend = Ordered(buckets, top)
            .Select(b => new ApiKeyTrendPoint(range.Label(b.Key.Start), b.Key.Id, names.GetValueOrDefault(b.Key.Id, ""), b.Requests,
                b.TotalTokens, b.Cost, b.ActualCost))
            .ToList();
        return new SeriesTrendResponse<ApiKeyTrendPoint>(trend, range.StartDate, range.EndDate, range.Granularity);
    }

    private static IQueryable<UsageLog> Rows(Sub2ApiDbContext db, DashboardRange range) => db.UsageLogs.AsNoTracking().Filter(range.Filter);

    /// <summary>
    /// The <paramref name="limit"/> biggest spenders (what users were charged, then the standard cost, then the
    /// lower id), mapped to their rank. Ranked in memory: one grouped row per active user or key.
    /// </summary>
    private static Dictionary<long, int> Top(List<UsageSums<long>> totals, int limit) => totals
        .OrderByDescending(t => t.ActualCost).ThenByDescending(t => t.Cost).ThenBy(t => t.Key)
        .Take(limit)
        .Select((t, rank) => (t.Key, rank))
        .ToDictionary(t => t.Key, t => t.rank);

    private static IEnumerable<UsageSums<(long Id, DateTime Start)>> Ordered(List<UsageSums<(long Id, DateTime Start)>> buckets,
        Dictionary<long, int> rank) => buckets.OrderBy(b => b.Key.Start).ThenBy(b => rank[b.Key.Id]);

    /// <summary>
    /// Sums per (series id, bucket start). Each shape is its own GROUP BY on the UTC day (and hour) so both
    /// providers translate it: SQLite through strftime, PostgreSQL through date_trunc/date_part.
    /// </summary>
    private static async Task<List<UsageSums<(long Id, DateTime Start)>>> BucketsAsync(IQueryable<UsageLog> rows, Series series,
        bool hourly, CancellationToken ct) => (series, hourly) switch
        {
            (Series.User, false) => Rekey(await rows.SumByAsync(u => new { Id = u.UserId, u.CreatedAt.Date }, ct), k => (k.Id, k.Date)),
            (Series.User, true) => Rekey(await rows.SumByAsync(u => new { Id = u.UserId, u.CreatedAt.Date, u.CreatedAt.Hour }, ct),
                k => (k.Id, k.Date.AddHours(k.Hour))),
            (Series.ApiKey, false) => Rekey(await rows.SumByAsync(u => new { Id = u.ApiKeyId, u.CreatedAt.Date }, ct), k => (k.Id, k.Date)),
            (Series.ApiKey, true) => Rekey(await rows.SumByAsync(u => new { Id = u.ApiKeyId, u.CreatedAt.Date, u.CreatedAt.Hour }, ct),
                k => (k.Id, k.Date.AddHours(k.Hour))),
            _ => throw new ArgumentOutOfRangeException(nameof(series)),
        };

    private static List<UsageSums<(long Id, DateTime Start)>> Rekey<TKey>(List<UsageSums<TKey>> sums, Func<TKey, (long Id, DateTime Start)> key) =>
        sums.Select(s => s.WithKey(key(s.Key))).ToList();
}
