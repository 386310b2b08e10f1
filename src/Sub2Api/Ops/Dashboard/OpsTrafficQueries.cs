using Microsoft.EntityFrameworkCore;
using Sub2Api.Data;
using Sub2Api.Data.Entities;
using Sub2Api.Usage;

namespace Sub2Api.Ops.Dashboard;

/// <summary>Request counts, a window's traffic numbers and its latencies.</summary>
internal sealed record OpsTraffic(long SuccessCount, long RequestErrors, long UpstreamErrors, long Tokens, OpsLatencySet Latency)
{
    public long RequestCount => SuccessCount + RequestErrors;
}

/// <summary>The window's durations (successes and failed requests) and times to first token (successes), ascending.</summary>
internal sealed record OpsLatencySet(IReadOnlyList<int> Durations, IReadOnlyList<int> FirstTokens);

/// <summary>
/// The traffic side of the ops dashboard: counts and sums in SQL, chart buckets folded from grouped rows, and
/// percentiles over a capped sample (see <see cref="OpsLatency.SampleCap"/>).
/// </summary>
internal static class OpsTrafficQueries
{
    /// <summary>How many types, statuses and accounts the error distribution lists (the biggest first).</summary>
    public const int DistributionTop = 20;

    public static async Task<OpsTraffic> TrafficAsync(Sub2ApiDbContext db, OpsDashboardWindow window, CancellationToken ct)
    {
        var successes = OpsTrafficRows.Successes(db, window);
        var sums = (await successes.SumByAsync(_ => 1, ct)).FirstOrDefault();
        var requestErrors = await OpsTrafficRows.RequestErrors(db, window).LongCountAsync(ct);
        var upstreamErrors = await OpsTrafficRows.UpstreamErrors(db, window).LongCountAsync(ct);
        return new OpsTraffic(sums?.Requests ?? 0, requestErrors, upstreamErrors, sums?.TotalTokens ?? 0, await LatencyAsync(db, window, ct));
    }

    public static async Task<OpsLatencySet> LatencyAsync(Sub2ApiDbContext db, OpsDashboardWindow window, CancellationToken ct)
    {
        var successes = OpsTrafficRows.Successes(db, window);
        var durations = await successes.Where(u => u.DurationMs != null).OrderByDescending(u => u.CreatedAt)
            .Select(u => u.DurationMs!.Value).Take(OpsLatency.SampleCap).ToListAsync(ct);
        durations.AddRange(await OpsTrafficRows.RequestErrors(db, window).Where(e => e.DurationMs != null).OrderByDescending(e => e.CreatedAt)
            .Select(e => e.DurationMs!.Value).Take(OpsLatency.SampleCap).ToListAsync(ct));
        var firstTokens = await successes.Where(u => u.FirstTokenMs != null).OrderByDescending(u => u.CreatedAt)
            .Select(u => u.FirstTokenMs!.Value).Take(OpsLatency.SampleCap).ToListAsync(ct);
        durations.Sort();
        firstTokens.Sort();
        return new OpsLatencySet(durations, firstTokens);
    }

    public static async Task<OpsThroughputTrendDto> ThroughputAsync(Sub2ApiDbContext db, OpsDashboardWindow window, CancellationToken ct)
    {
        var successes = await OpsTimeBuckets.SumAsync(OpsTrafficRows.Successes(db, window), window, ct);
        var errors = await OpsTimeBuckets.CountAsync(OpsTrafficRows.RequestErrors(db, window), window, ct);
        var points = window.BucketStarts().Select(start =>
        {
            var (ok, tokens) = successes.GetValueOrDefault(start);
            var failed = errors.GetValueOrDefault(start);
            return new OpsThroughputPoint(start, ok + failed, ok, failed, tokens, Round(PerSecond(ok + failed, window.BucketSeconds), 4));
        }).ToList();
        return new OpsThroughputTrendDto(window.BucketSeconds, points);
    }

    public static async Task<OpsErrorTrendDto> ErrorTrendAsync(Sub2ApiDbContext db, OpsDashboardWindow window, CancellationToken ct)
    {
        var requestErrors = await OpsTimeBuckets.CountAsync(OpsTrafficRows.RequestErrors(db, window), window, ct);
        var upstreamErrors = await OpsTimeBuckets.CountAsync(OpsTrafficRows.UpstreamErrors(db, window), window, ct);
        var points = window.BucketStarts()
            .Select(start => new OpsErrorTrendPoint(start, requestErrors.GetValueOrDefault(start), upstreamErrors.GetValueOrDefault(start)))
            .ToList();
        return new OpsErrorTrendDto(window.BucketSeconds, points);
    }

    public static async Task<OpsLatencyHistogramDto> HistogramAsync(Sub2ApiDbContext db, OpsDashboardWindow window, CancellationToken ct)
    {
        var latency = await LatencyAsync(db, window, ct);
        return new OpsLatencyHistogramDto(OpsLatency.Histogram(latency.Durations), OpsLatency.Percentile(latency.Durations, 50),
            OpsLatency.Percentile(latency.Durations, 95), OpsLatency.Percentile(latency.Durations, 99));
    }

    /// <summary>
    /// What failed: the client-visible errors by type and by status, and the failed upstream attempts by account
    /// (which accounts fail, when last and with what message).
    /// </summary>
    public static async Task<OpsErrorDistributionDto> DistributionAsync(Sub2ApiDbContext db, OpsDashboardWindow window, CancellationToken ct)
    {
        var requestErrors = OpsTrafficRows.RequestErrors(db, window);
        var byType = (await requestErrors.GroupBy(e => e.Type).Select(g => new { g.Key, Count = g.LongCount() }).ToListAsync(ct))
            .Select(g => new OpsKeyCount(g.Key, g.Count));
        var byStatus = (await requestErrors.GroupBy(e => e.StatusCode).Select(g => new { g.Key, Count = g.LongCount() }).ToListAsync(ct))
            .Select(g => new OpsKeyCount(g.Key.ToString(System.Globalization.CultureInfo.InvariantCulture), g.Count));

        var upstream = OpsTrafficRows.UpstreamErrors(db, window).Where(e => e.AccountId != null);
        var perAccount = (await upstream.GroupBy(e => e.AccountId!.Value)
                .Select(g => new { AccountId = g.Key, Count = g.LongCount(), Last = g.Max(e => e.CreatedAt) }).ToListAsync(ct))
            .OrderByDescending(g => g.Count).ThenByDescending(g => g.Last).ThenBy(g => g.AccountId)
            .Take(DistributionTop).ToList();
        var ids = perAccount.Select(g => g.AccountId).ToList();
        // Names and each listed account's newest failure of the window: one row per account, its message found
        // through the (account, time) index.
        var accounts = await db.Accounts.IgnoreQueryFilters().AsNoTracking().Where(a => ids.Contains(a.Id))
            .Select(a => new
            {
                a.Id,
                a.Name,
                a.Platform,
                LastMessage = upstream.Where(e => e.AccountId == a.Id).OrderByDescending(e => e.CreatedAt).ThenByDescending(e => e.Id)
                    .Select(e => e.Message).FirstOrDefault(),
            })
            .ToDictionaryAsync(a => a.Id, ct);
        var byAccount = perAccount.Select(g =>
        {
            var account = accounts.GetValueOrDefault(g.AccountId);
            return new OpsAccountErrorCount(g.AccountId, account?.Name ?? "", account?.Platform, g.Count,
                DateTime.SpecifyKind(g.Last, DateTimeKind.Utc), account?.LastMessage ?? "");
        }).ToList();

        return new OpsErrorDistributionDto(Top(byType), Top(byStatus), byAccount);
    }

    private static List<OpsKeyCount> Top(IEnumerable<OpsKeyCount> counts) =>
        [.. counts.OrderByDescending(c => c.Count).ThenBy(c => c.Key, StringComparer.Ordinal).Take(DistributionTop)];

    public static double PerSecond(long count, double seconds) => seconds <= 0 ? 0 : count / seconds;

    /// <summary>A share as a percentage (0–100), two decimals; 0 when there is nothing to divide.</summary>
    public static double Percent(long part, long whole) => whole <= 0 ? 0 : Round(part * 100.0 / whole, 2);

    public static double Round(double value, int digits) => Math.Round(value, digits, MidpointRounding.AwayFromZero);
}
