using Microsoft.EntityFrameworkCore;
using Sub2Api.Data.Entities;
using Sub2Api.Usage;

namespace Sub2Api.Ops.Dashboard;

/// <summary>
/// Per-bucket counts of a window. The database groups by UTC day, hour and (for buckets under an hour) minute —
/// the date parts both SQLite (strftime) and PostgreSQL (date_part) translate — and the grouped rows, at most one
/// per minute of a 24-hour window, are folded into the window's buckets in memory.
/// </summary>
internal static class OpsTimeBuckets
{
    public static async Task<Dictionary<DateTime, long>> CountAsync(IQueryable<OpsErrorLog> rows, OpsDashboardWindow window,
        CancellationToken ct)
    {
        var counts = new Dictionary<DateTime, long>();
        switch (window.BucketSeconds)
        {
            case >= 86400:
                foreach (var g in await rows.GroupBy(e => e.CreatedAt.Date).Select(g => new { g.Key, Count = g.LongCount() }).ToListAsync(ct))
                {
                    Add(counts, window.BucketOf(g.Key), g.Count);
                }
                break;
            case >= 3600:
                foreach (var g in await rows.GroupBy(e => new { e.CreatedAt.Date, e.CreatedAt.Hour })
                    .Select(g => new { g.Key.Date, g.Key.Hour, Count = g.LongCount() }).ToListAsync(ct))
                {
                    Add(counts, window.BucketOf(g.Date.AddHours(g.Hour)), g.Count);
                }
                break;
            default:
                foreach (var g in await rows.GroupBy(e => new { e.CreatedAt.Date, e.CreatedAt.Hour, e.CreatedAt.Minute })
                    .Select(g => new { g.Key.Date, g.Key.Hour, g.Key.Minute, Count = g.LongCount() }).ToListAsync(ct))
                {
                    Add(counts, window.BucketOf(g.Date.AddHours(g.Hour).AddMinutes(g.Minute)), g.Count);
                }
                break;
        }
        return counts;
    }

    /// <summary>Requests and tokens of successes per bucket.</summary>
    public static async Task<Dictionary<DateTime, (long Requests, long Tokens)>> SumAsync(IQueryable<UsageLog> rows, OpsDashboardWindow window,
        CancellationToken ct)
    {
        IEnumerable<(DateTime Start, long Requests, long Tokens)> grouped = window.BucketSeconds switch
        {
            >= 86400 => (await rows.SumByAsync(u => u.CreatedAt.Date, ct)).Select(s => (s.Key, s.Requests, s.TotalTokens)),
            >= 3600 => (await rows.SumByAsync(u => new { u.CreatedAt.Date, u.CreatedAt.Hour }, ct))
                .Select(s => (s.Key.Date.AddHours(s.Key.Hour), s.Requests, s.TotalTokens)),
            _ => (await rows.SumByAsync(u => new { u.CreatedAt.Date, u.CreatedAt.Hour, u.CreatedAt.Minute }, ct))
                .Select(s => (s.Key.Date.AddHours(s.Key.Hour).AddMinutes(s.Key.Minute), s.Requests, s.TotalTokens)),
        };
        var sums = new Dictionary<DateTime, (long Requests, long Tokens)>();
        foreach (var (start, requests, tokens) in grouped)
        {
            var bucket = window.BucketOf(start);
            var (r, t) = sums.GetValueOrDefault(bucket);
            sums[bucket] = (r + requests, t + tokens);
        }
        return sums;
    }

    private static void Add(Dictionary<DateTime, long> counts, DateTime bucket, long count) =>
        counts[bucket] = counts.GetValueOrDefault(bucket) + count;
}
