using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Sub2Api.Data.Entities;

namespace Sub2Api.Usage;

/// <summary>One bucket of a usage trend: a UTC day ("YYYY-MM-DD") or hour ("YYYY-MM-DD HH:00").</summary>
internal sealed record UsageTrendPoint(
    string Date, long Requests, long InputTokens, long OutputTokens, long CacheCreationTokens, long CacheReadTokens,
    long TotalTokens, decimal Cost, decimal ActualCost);

/// <summary>Usage of one model over a filtered set of rows.</summary>
internal sealed record UsageModelStat(
    string Model, long Requests, long InputTokens, long OutputTokens, long TotalTokens, decimal Cost, decimal ActualCost);

/// <summary>
/// Trend and per-model aggregates over already-filtered usage rows. Buckets are grouped by the date and hour
/// parts of <c>created_at</c>, which both SQLite (strftime) and PostgreSQL (date_trunc/date_part in UTC)
/// translate; decimal sums stay exact as in <see cref="UsageQueries.StatsAsync"/>.
/// </summary>
internal static class UsageTrendQueries
{
    public const string Day = "day";
    public const string Hour = "hour";

    public static async Task<List<UsageTrendPoint>> TrendAsync(this IQueryable<UsageLog> query, string granularity, CancellationToken ct)
    {
        var byHour = granularity == Hour;
        // Two shapes rather than one key with a constant hour: PostgreSQL reads a constant in GROUP BY as a
        // column position.
        var buckets = byHour
            ? await query
                .GroupBy(u => new { Day = u.CreatedAt.Date, u.CreatedAt.Hour })
                .Select(g => new Bucket(g.Key.Day, g.Key.Hour, g.LongCount(), g.Sum(u => u.InputTokens), g.Sum(u => u.OutputTokens),
                    g.Sum(u => u.CacheCreationTokens), g.Sum(u => u.CacheReadTokens), g.Sum(u => u.TotalCost), g.Sum(u => u.ActualCost)))
                .ToListAsync(ct)
            : await query
                .GroupBy(u => u.CreatedAt.Date)
                .Select(g => new Bucket(g.Key, 0, g.LongCount(), g.Sum(u => u.InputTokens), g.Sum(u => u.OutputTokens),
                    g.Sum(u => u.CacheCreationTokens), g.Sum(u => u.CacheReadTokens), g.Sum(u => u.TotalCost), g.Sum(u => u.ActualCost)))
                .ToListAsync(ct);
        return buckets
            .OrderBy(b => b.Day).ThenBy(b => b.Hour)
            .Select(b => new UsageTrendPoint(
                Label(b.Day, b.Hour, byHour), b.Requests, b.Input, b.Output, b.CacheCreation, b.CacheRead,
                b.Input + b.Output + b.CacheCreation + b.CacheRead, b.Cost, b.ActualCost))
            .ToList();
    }

    public static async Task<List<UsageModelStat>> ModelsAsync(this IQueryable<UsageLog> query, CancellationToken ct)
    {
        var rows = await query
            .GroupBy(u => u.Model)
            .Select(g => new
            {
                Model = g.Key,
                Requests = g.LongCount(),
                Input = g.Sum(u => u.InputTokens),
                Output = g.Sum(u => u.OutputTokens),
                Cache = g.Sum(u => u.CacheCreationTokens + u.CacheReadTokens),
                Cost = g.Sum(u => u.TotalCost),
                ActualCost = g.Sum(u => u.ActualCost),
            })
            .ToListAsync(ct);
        return rows
            .Select(r => new UsageModelStat(r.Model, r.Requests, r.Input, r.Output, r.Input + r.Output + r.Cache, r.Cost, r.ActualCost))
            .OrderByDescending(m => m.TotalTokens).ThenByDescending(m => m.Requests).ThenBy(m => m.Model, StringComparer.Ordinal)
            .ToList();
    }

    private sealed record Bucket(
        DateTime Day, int Hour, long Requests, long Input, long Output, long CacheCreation, long CacheRead, decimal Cost, decimal ActualCost);

    private static string Label(DateTime day, int hour, bool byHour) => byHour
        ? day.AddHours(hour).ToString("yyyy-MM-dd HH:00", CultureInfo.InvariantCulture)
        : day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
